namespace SpineScan.Web.Tests.Api;

/// <summary>The API scenarios against the real server on SQLite.</summary>
public sealed class SqliteApiTests(SqliteServerFixture fixture) : IClassFixture<SqliteServerFixture>
{
    [Fact]
    public Task PostValid_Returns201AndStores() => ApiScenarios.PostValid_Returns201AndStores(fixture);

    [Fact]
    public Task PostTwice_ReturnsStoredResultWithoutDuplicate() => ApiScenarios.PostTwice_ReturnsStoredResultWithoutDuplicate(fixture);

    [Fact]
    public Task PostConcurrentRepeats_StoresOnce() => ApiScenarios.PostConcurrentRepeats_StoresOnce(fixture);

    [Fact]
    public Task PostSameIdOtherContent_Returns409() => ApiScenarios.PostSameIdOtherContent_Returns409(fixture);

    [Fact]
    public Task PostWithoutOrWithBadCredential_Returns401AndStoresNothing() => ApiScenarios.PostWithoutOrWithBadCredential_Returns401AndStoresNothing(fixture);

    [Fact]
    public Task PostMissingField_Returns400NamingIt() => ApiScenarios.PostMissingField_Returns400NamingIt(fixture);

    [Fact]
    public Task PostBrokenRules_Returns400NamingEachField() => ApiScenarios.PostBrokenRules_Returns400NamingEachField(fixture);

    [Fact]
    public Task PostGarbage_Returns400() => ApiScenarios.PostGarbage_Returns400(fixture);

    [Fact]
    public Task PostOversized_Returns413() => ApiScenarios.PostOversized_Returns413(fixture);

    [Fact]
    public Task PostAsOtherDeviceOrSchool_IsRefused() => ApiScenarios.PostAsOtherDeviceOrSchool_IsRefused(fixture);

    [Fact]
    public Task ParentLink_OpensUntilExpiredOrRevoked() => ApiScenarios.ParentLink_OpensUntilExpiredOrRevoked(fixture);

    [Fact]
    public Task ParentLink_ExpiredOrUnknown_IsRefused() => ApiScenarios.ParentLink_ExpiredOrUnknown_IsRefused(fixture);

    [Fact]
    public Task ParentLink_FailedLookups_AreRateLimited() => ApiScenarios.ParentLink_FailedLookups_AreRateLimited(fixture);

    [Fact]
    public Task Clinician_SeesOnlyOwnProgramme() => ApiScenarios.Clinician_SeesOnlyOwnProgramme(fixture);

    [Fact]
    public Task SignIn_WrongPasswordFiveTimes_Throttles() => ApiScenarios.SignIn_WrongPasswordFiveTimes_Throttles(fixture);

    [Fact]
    public Task OpenApi_IsServed() => ApiScenarios.OpenApi_IsServed(fixture);

    [Fact]
    public Task ClinicianPdf_OwnProgrammeOnlyAndAudited() => ApiScenarios.ClinicianPdf_OwnProgrammeOnlyAndAudited(fixture);

    [Fact]
    public Task ParentPdf_InPageLanguage_OnlyWithLiveLink() => ApiScenarios.ParentPdf_InPageLanguage_OnlyWithLiveLink(fixture);

    [Fact]
    public Task ParentPage_AfterAClinicianChangedTheResult_SaysSoAndThatTheSlipMayDiffer() => ApiScenarios.ParentPage_AfterAClinicianChangedTheResult_SaysSoAndThatTheSlipMayDiffer(fixture);

    [Fact]
    public Task ClinicianPdf_AfterAnXrayOutcome_PrintsTheRadiographicAngleAndDate() => ApiScenarios.ClinicianPdf_AfterAnXrayOutcome_PrintsTheRadiographicAngleAndDate(fixture);

    [Fact]
    public Task ClinicianFhir_ParsesBack_OwnProgrammeOnly() => ApiScenarios.ClinicianFhir_ParsesBack_OwnProgrammeOnly(fixture);

    [Fact]
    public Task Queue_FiltersSortsAndPages() => ApiScenarios.Queue_FiltersSortsAndPages(fixture);

    [Fact]
    public Task PostBody_IsStoredByteForByte() => ApiScenarios.PostBody_IsStoredByteForByte(fixture);

    [Fact]
    public Task PostContradictingCategory_IsStoredWithServersCategoryAndFlagged() => ApiScenarios.PostContradictingCategory_IsStoredWithServersCategoryAndFlagged(fixture);

    [Fact]
    public Task PostNonFiniteNumbers_Returns400NotServerError() => ApiScenarios.PostNonFiniteNumbers_Returns400NotServerError(fixture);

    [Fact]
    public Task PostControlCharactersOrOverlongText_Returns400NamingTheField() => ApiScenarios.PostControlCharactersOrOverlongText_Returns400NamingTheField(fixture);

    [Fact]
    public Task PostNumberAsString_Returns400() => ApiScenarios.PostNumberAsString_Returns400(fixture);

    [Fact]
    public Task Statistics_CountTheOutcomeOfAnOverriddenScreening() => ApiScenarios.Statistics_CountTheOutcomeOfAnOverriddenScreening(fixture);

    [Fact]
    public Task Outcome_InTheFutureOrBeforeTheScreening_IsRefused() => ApiScenarios.Outcome_InTheFutureOrBeforeTheScreening_IsRefused(fixture);

    [Fact]
    public Task Priority_ComputedByTheDatabase_MatchesItsTwin() => ApiScenarios.Priority_ComputedByTheDatabase_MatchesItsTwin(fixture);

    [Fact]
    public Task Assess_UsesTheIntervalAndTheProgrammesProbabilities() => ApiScenarios.Assess_UsesTheIntervalAndTheProgrammesProbabilities(fixture);

    [Fact]
    public Task Ehr_ClientCredential_ExportsItsProgrammeOnlyAndIsAudited() => ApiScenarios.Ehr_ClientCredential_ExportsItsProgrammeOnlyAndIsAudited(fixture);

    [Fact]
    public Task Ehr_ScreenAgain_ListNamesWhatItSupersedesAndMarksTheEarlier() => ApiScenarios.Ehr_ScreenAgain_ListNamesWhatItSupersedesAndMarksTheEarlier(fixture);

    [Fact]
    public Task CodeSystems_AreServedAtTheirCanonicalUrls() => ApiScenarios.CodeSystems_AreServedAtTheirCanonicalUrls(fixture);

    [Fact]
    public Task OpenApi_DescribesTheBearerSchemeOnEveryApiOperation() => ApiScenarios.OpenApi_DescribesTheBearerSchemeOnEveryApiOperation(fixture);

    [Fact]
    public Task DevicesMe_GivesEveryDeviceOfAProgrammeTheSameKey_OverItsCredentialOnly() => ApiScenarios.DevicesMe_GivesEveryDeviceOfAProgrammeTheSameKey_OverItsCredentialOnly(fixture);

    [Fact]
    public Task DevicesMe_GivesTheParentsPublicAddress() => ApiScenarios.DevicesMe_GivesTheParentsPublicAddress(fixture);

    [Fact]
    public Task IssuePseudonymKey_ImportsTheDevicesKeyForAnOlderProgrammeAndNeverReplacesIt() => ApiScenarios.IssuePseudonymKey_ImportsTheDevicesKeyForAnOlderProgrammeAndNeverReplacesIt(fixture);

    [Fact]
    public Task ScreenAgain_QueueShowsTheCurrentScreeningAndTheEarlierStaysReachable() => ApiScenarios.ScreenAgain_QueueShowsTheCurrentScreeningAndTheEarlierStaysReachable(fixture);

    [Fact]
    public Task ScreenAgain_SyncedBeforeTheScreeningItReplaces_StillLeavesOneCurrent() => ApiScenarios.ScreenAgain_SyncedBeforeTheScreeningItReplaces_StillLeavesOneCurrent(fixture);

    [Fact]
    public Task ScreenAgain_NamingAnotherChildOrItself_Is400AndStoresNothing() => ApiScenarios.ScreenAgain_NamingAnotherChildOrItself_Is400AndStoresNothing(fixture);
}
