using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SpineScan.ServerStore.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class QueueIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_Priority_CapturedAtUtc_Id",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_Reviewed_Priority_CapturedAtUtc_Id",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_SchoolId_Reviewed_Priority_CapturedAtUtc_Id",
                table: "Screenings");

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_AtrDeg_Id_Reviewed_Priority_SchoolId~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "AtrDeg", "Id", "Reviewed", "Priority", "SchoolId", "CapturedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_CapturedAtUtc_Id_Reviewed_Priority_S~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "CapturedAtUtc", "Id", "Reviewed", "Priority", "SchoolId", "LargestCobbDeg", "AtrDeg" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_LargestCobbDeg_Id_Reviewed_Priority_~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "LargestCobbDeg", "Id", "Reviewed", "Priority", "SchoolId", "CapturedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_AtrDeg_Id_Reviewed_SchoolId~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "AtrDeg", "Id", "Reviewed", "SchoolId", "CapturedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_CapturedAtUtc_Id_Reviewed_S~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "CapturedAtUtc", "Id", "Reviewed", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_LargestCobbDeg_Id_Reviewed_~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "LargestCobbDeg", "Id", "Reviewed", "SchoolId", "CapturedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_SchoolId_Reviewed_Priority_CapturedAtUtc_Id_Prog~",
                table: "Screenings",
                columns: new[] { "SchoolId", "Reviewed", "Priority", "CapturedAtUtc", "Id", "ProgrammeId", "LargestCobbDeg", "AtrDeg" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_AtrDeg_Id_Reviewed_Priority_SchoolId~",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_CapturedAtUtc_Id_Reviewed_Priority_S~",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_LargestCobbDeg_Id_Reviewed_Priority_~",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_Priority_AtrDeg_Id_Reviewed_SchoolId~",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_Priority_CapturedAtUtc_Id_Reviewed_S~",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_Priority_LargestCobbDeg_Id_Reviewed_~",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_SchoolId_Reviewed_Priority_CapturedAtUtc_Id_Prog~",
                table: "Screenings");

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_CapturedAtUtc_Id",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "CapturedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Reviewed_Priority_CapturedAtUtc_Id",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Reviewed", "Priority", "CapturedAtUtc", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_SchoolId_Reviewed_Priority_CapturedAtUtc_Id",
                table: "Screenings",
                columns: new[] { "SchoolId", "Reviewed", "Priority", "CapturedAtUtc", "Id" });
        }
    }
}
