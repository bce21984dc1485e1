namespace SpineScan.Web.Tests.Api;

/// <summary>The API scenarios against the real server on PostgreSQL.</summary>
public sealed class PostgresApiTests(PostgresServerFixture fixture) : IClassFixture<PostgresServerFixture>
{
    [PostgresFact]
    public Task PostValid_Returns201AndStores() => ApiScenarios.PostValid_Returns201AndStores(fixture);

    [PostgresFact]
    public Task PostTwice_ReturnsStoredResultWithoutDuplicate() => ApiScenarios.PostTwice_ReturnsStoredResultWithoutDuplicate(fixture);

    [PostgresFact]
    public Task PostConcurrentRepeats_StoresOnce() => ApiScenarios.PostConcurrentRepeats_StoresOnce(fixture);

    [PostgresFact]
    public Task PostSameIdOtherContent_Returns409() => ApiScenarios.PostSameIdOtherContent_Returns409(fixture);

    [PostgresFact]
    public Task PostWithoutOrWithBadCredential_Returns401AndStoresNothing() => ApiScenarios.PostWithoutOrWithBadCredential_Returns401AndStoresNothing(fixture);

    [PostgresFact]
    public Task PostMissingField_Returns400NamingIt() => ApiScenarios.PostMissingField_Returns400NamingIt(fixture);

    [PostgresFact]
    public Task PostBrokenRules_Returns400NamingEachField() => ApiScenarios.PostBrokenRules_Returns400NamingEachField(fixture);

    [PostgresFact]
    public Task PostGarbage_Returns400() => ApiScenarios.PostGarbage_Returns400(fixture);

    [PostgresFact]
    public Task PostOversized_Returns413() => ApiScenarios.PostOversized_Returns413(fixture);

    [PostgresFact]
    public Task PostAsOtherDeviceOrSchool_IsRefused() => ApiScenarios.PostAsOtherDeviceOrSchool_IsRefused(fixture);

    [PostgresFact]
    public Task ParentLink_OpensUntilExpiredOrRevoked() => ApiScenarios.ParentLink_OpensUntilExpiredOrRevoked(fixture);

    [PostgresFact]
    public Task ParentLink_ExpiredOrUnknown_IsRefused() => ApiScenarios.ParentLink_ExpiredOrUnknown_IsRefused(fixture);

    [PostgresFact]
    public Task ParentLink_FailedLookups_AreRateLimited() => ApiScenarios.ParentLink_FailedLookups_AreRateLimited(fixture);

    [PostgresFact]
    public Task Clinician_SeesOnlyOwnProgramme() => ApiScenarios.Clinician_SeesOnlyOwnProgramme(fixture);

    [PostgresFact]
    public Task SignIn_WrongPasswordFiveTimes_Throttles() => ApiScenarios.SignIn_WrongPasswordFiveTimes_Throttles(fixture);

    [PostgresFact]
    public Task OpenApi_IsServed() => ApiScenarios.OpenApi_IsServed(fixture);

    [PostgresFact]
    public Task ClinicianPdf_OwnProgrammeOnlyAndAudited() => ApiScenarios.ClinicianPdf_OwnProgrammeOnlyAndAudited(fixture);

    [PostgresFact]
    public Task ParentPdf_InPageLanguage_OnlyWithLiveLink() => ApiScenarios.ParentPdf_InPageLanguage_OnlyWithLiveLink(fixture);

    [PostgresFact]
    public Task ParentPage_AfterAClinicianChangedTheResult_SaysSoAndThatTheSlipMayDiffer() => ApiScenarios.ParentPage_AfterAClinicianChangedTheResult_SaysSoAndThatTheSlipMayDiffer(fixture);

    [PostgresFact]
    public Task ClinicianPdf_AfterAnXrayOutcome_PrintsTheRadiographicAngleAndDate() => ApiScenarios.ClinicianPdf_AfterAnXrayOutcome_PrintsTheRadiographicAngleAndDate(fixture);

    [PostgresFact]
    public Task ClinicianFhir_ParsesBack_OwnProgrammeOnly() => ApiScenarios.ClinicianFhir_ParsesBack_OwnProgrammeOnly(fixture);

    [PostgresFact]
    public Task Queue_FiltersSortsAndPages() => ApiScenarios.Queue_FiltersSortsAndPages(fixture);

    [PostgresFact]
    public Task PostBody_IsStoredByteForByte() => ApiScenarios.PostBody_IsStoredByteForByte(fixture);

    [PostgresFact]
    public Task PostContradictingCategory_IsStoredWithServersCategoryAndFlagged() => ApiScenarios.PostContradictingCategory_IsStoredWithServersCategoryAndFlagged(fixture);

    [PostgresFact]
    public Task PostNonFiniteNumbers_Returns400NotServerError() => ApiScenarios.PostNonFiniteNumbers_Returns400NotServerError(fixture);

    [PostgresFact]
    public Task PostControlCharactersOrOverlongText_Returns400NamingTheField() => ApiScenarios.PostControlCharactersOrOverlongText_Returns400NamingTheField(fixture);

    [PostgresFact]
    public Task PostNumberAsString_Returns400() => ApiScenarios.PostNumberAsString_Returns400(fixture);

    [PostgresFact]
    public Task Statistics_CountTheOutcomeOfAnOverriddenScreening() => ApiScenarios.Statistics_CountTheOutcomeOfAnOverriddenScreening(fixture);

    [PostgresFact]
    public Task Outcome_InTheFutureOrBeforeTheScreening_IsRefused() => ApiScenarios.Outcome_InTheFutureOrBeforeTheScreening_IsRefused(fixture);

    [PostgresFact]
    public Task Priority_ComputedByTheDatabase_MatchesItsTwin() => ApiScenarios.Priority_ComputedByTheDatabase_MatchesItsTwin(fixture);

    [PostgresFact]
    public Task Assess_UsesTheIntervalAndTheProgrammesProbabilities() => ApiScenarios.Assess_UsesTheIntervalAndTheProgrammesProbabilities(fixture);

    [PostgresFact]
    public Task Ehr_ClientCredential_ExportsItsProgrammeOnlyAndIsAudited() => ApiScenarios.Ehr_ClientCredential_ExportsItsProgrammeOnlyAndIsAudited(fixture);

    [Fact]
    public Task Ehr_ScreenAgain_ListNamesWhatItSupersedesAndMarksTheEarlier() => ApiScenarios.Ehr_ScreenAgain_ListNamesWhatItSupersedesAndMarksTheEarlier(fixture);

    [PostgresFact]
    public Task CodeSystems_AreServedAtTheirCanonicalUrls() => ApiScenarios.CodeSystems_AreServedAtTheirCanonicalUrls(fixture);

    [PostgresFact]
    public Task OpenApi_DescribesTheBearerSchemeOnEveryApiOperation() => ApiScenarios.OpenApi_DescribesTheBearerSchemeOnEveryApiOperation(fixture);

    [PostgresFact]
    public Task DevicesMe_GivesEveryDeviceOfAProgrammeTheSameKey_OverItsCredentialOnly() => ApiScenarios.DevicesMe_GivesEveryDeviceOfAProgrammeTheSameKey_OverItsCredentialOnly(fixture);

    [PostgresFact]
    public Task DevicesMe_GivesTheParentsPublicAddress() => ApiScenarios.DevicesMe_GivesTheParentsPublicAddress(fixture);

    [PostgresFact]
    public Task IssuePseudonymKey_ImportsTheDevicesKeyForAnOlderProgrammeAndNeverReplacesIt() => ApiScenarios.IssuePseudonymKey_ImportsTheDevicesKeyForAnOlderProgrammeAndNeverReplacesIt(fixture);

    [PostgresFact]
    public Task ScreenAgain_QueueShowsTheCurrentScreeningAndTheEarlierStaysReachable() => ApiScenarios.ScreenAgain_QueueShowsTheCurrentScreeningAndTheEarlierStaysReachable(fixture);

    [PostgresFact]
    public Task ScreenAgain_SyncedBeforeTheScreeningItReplaces_StillLeavesOneCurrent() => ApiScenarios.ScreenAgain_SyncedBeforeTheScreeningItReplaces_StillLeavesOneCurrent(fixture);

    [PostgresFact]
    public Task ScreenAgain_NamingAnotherChildOrItself_Is400AndStoresNothing() => ApiScenarios.ScreenAgain_NamingAnotherChildOrItself_Is400AndStoresNothing(fixture);
}
