using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SpineScan.ServerStore.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ScreenAgainAndProgrammeKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
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

            migrationBuilder.AddColumn<bool>(
                name: "Superseded",
                table: "Screenings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "SupersedesReportId",
                table: "Screenings",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PseudonymKeyProtected",
                table: "Programmes",
                type: "character varying(1000)",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_AtrDeg_Id_Reviewed_Priority_SchoolId~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "AtrDeg", "Id", "Reviewed", "Priority", "SchoolId", "CapturedAtUtc", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_CapturedAtUtc_Id_Reviewed_Priority_S~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "CapturedAtUtc", "Id", "Reviewed", "Priority", "SchoolId", "LargestCobbDeg", "AtrDeg", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_LargestCobbDeg_Id_Reviewed_Priority_~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "LargestCobbDeg", "Id", "Reviewed", "Priority", "SchoolId", "CapturedAtUtc", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_AtrDeg_Id_Reviewed_SchoolId~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "AtrDeg", "Id", "Reviewed", "SchoolId", "CapturedAtUtc", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_CapturedAtUtc_Id_Reviewed_S~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "CapturedAtUtc", "Id", "Reviewed", "SchoolId", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_LargestCobbDeg_Id_Reviewed_~",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "LargestCobbDeg", "Id", "Reviewed", "SchoolId", "CapturedAtUtc", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_SchoolId_Reviewed_Priority_CapturedAtUtc_Id_Prog~",
                table: "Screenings",
                columns: new[] { "SchoolId", "Reviewed", "Priority", "CapturedAtUtc", "Id", "ProgrammeId", "LargestCobbDeg", "AtrDeg", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_SupersedesReportId",
                table: "Screenings",
                column: "SupersedesReportId");
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

            migrationBuilder.DropIndex(
                name: "IX_Screenings_SupersedesReportId",
                table: "Screenings");

            migrationBuilder.DropColumn(
                name: "Superseded",
                table: "Screenings");

            migrationBuilder.DropColumn(
                name: "SupersedesReportId",
                table: "Screenings");

            migrationBuilder.DropColumn(
                name: "PseudonymKeyProtected",
                table: "Programmes");

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
    }
}
