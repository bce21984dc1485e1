using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SpineScan.ServerStore.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ScreenAgainAndProgrammeKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_AtrDeg_Id_Reviewed_Priority_SchoolId_CapturedAtUtc",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_CapturedAtUtc_Id_Reviewed_Priority_SchoolId_LargestCobbDeg_AtrDeg",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_LargestCobbDeg_Id_Reviewed_Priority_SchoolId_CapturedAtUtc",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_Priority_AtrDeg_Id_Reviewed_SchoolId_CapturedAtUtc",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_Priority_CapturedAtUtc_Id_Reviewed_SchoolId",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_Priority_LargestCobbDeg_Id_Reviewed_SchoolId_CapturedAtUtc",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_SchoolId_Reviewed_Priority_CapturedAtUtc_Id_ProgrammeId_LargestCobbDeg_AtrDeg",
                table: "Screenings");

            migrationBuilder.AddColumn<bool>(
                name: "Superseded",
                table: "Screenings",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<Guid>(
                name: "SupersedesReportId",
                table: "Screenings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PseudonymKeyProtected",
                table: "Programmes",
                type: "TEXT",
                maxLength: 1000,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_AtrDeg_Id_Reviewed_Priority_SchoolId_CapturedAtUtc_Superseded",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "AtrDeg", "Id", "Reviewed", "Priority", "SchoolId", "CapturedAtUtc", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_CapturedAtUtc_Id_Reviewed_Priority_SchoolId_LargestCobbDeg_AtrDeg_Superseded",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "CapturedAtUtc", "Id", "Reviewed", "Priority", "SchoolId", "LargestCobbDeg", "AtrDeg", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_LargestCobbDeg_Id_Reviewed_Priority_SchoolId_CapturedAtUtc_Superseded",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "LargestCobbDeg", "Id", "Reviewed", "Priority", "SchoolId", "CapturedAtUtc", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_AtrDeg_Id_Reviewed_SchoolId_CapturedAtUtc_Superseded",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "AtrDeg", "Id", "Reviewed", "SchoolId", "CapturedAtUtc", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_CapturedAtUtc_Id_Reviewed_SchoolId_Superseded",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "CapturedAtUtc", "Id", "Reviewed", "SchoolId", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_LargestCobbDeg_Id_Reviewed_SchoolId_CapturedAtUtc_Superseded",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "LargestCobbDeg", "Id", "Reviewed", "SchoolId", "CapturedAtUtc", "Superseded" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_SchoolId_Reviewed_Priority_CapturedAtUtc_Id_ProgrammeId_LargestCobbDeg_AtrDeg_Superseded",
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
                name: "IX_Screenings_ProgrammeId_AtrDeg_Id_Reviewed_Priority_SchoolId_CapturedAtUtc_Superseded",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_CapturedAtUtc_Id_Reviewed_Priority_SchoolId_LargestCobbDeg_AtrDeg_Superseded",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_LargestCobbDeg_Id_Reviewed_Priority_SchoolId_CapturedAtUtc_Superseded",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_Priority_AtrDeg_Id_Reviewed_SchoolId_CapturedAtUtc_Superseded",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_Priority_CapturedAtUtc_Id_Reviewed_SchoolId_Superseded",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_ProgrammeId_Priority_LargestCobbDeg_Id_Reviewed_SchoolId_CapturedAtUtc_Superseded",
                table: "Screenings");

            migrationBuilder.DropIndex(
                name: "IX_Screenings_SchoolId_Reviewed_Priority_CapturedAtUtc_Id_ProgrammeId_LargestCobbDeg_AtrDeg_Superseded",
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
                name: "IX_Screenings_ProgrammeId_AtrDeg_Id_Reviewed_Priority_SchoolId_CapturedAtUtc",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "AtrDeg", "Id", "Reviewed", "Priority", "SchoolId", "CapturedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_CapturedAtUtc_Id_Reviewed_Priority_SchoolId_LargestCobbDeg_AtrDeg",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "CapturedAtUtc", "Id", "Reviewed", "Priority", "SchoolId", "LargestCobbDeg", "AtrDeg" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_LargestCobbDeg_Id_Reviewed_Priority_SchoolId_CapturedAtUtc",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "LargestCobbDeg", "Id", "Reviewed", "Priority", "SchoolId", "CapturedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_AtrDeg_Id_Reviewed_SchoolId_CapturedAtUtc",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "AtrDeg", "Id", "Reviewed", "SchoolId", "CapturedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_CapturedAtUtc_Id_Reviewed_SchoolId",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "CapturedAtUtc", "Id", "Reviewed", "SchoolId" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_ProgrammeId_Priority_LargestCobbDeg_Id_Reviewed_SchoolId_CapturedAtUtc",
                table: "Screenings",
                columns: new[] { "ProgrammeId", "Priority", "LargestCobbDeg", "Id", "Reviewed", "SchoolId", "CapturedAtUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Screenings_SchoolId_Reviewed_Priority_CapturedAtUtc_Id_ProgrammeId_LargestCobbDeg_AtrDeg",
                table: "Screenings",
                columns: new[] { "SchoolId", "Reviewed", "Priority", "CapturedAtUtc", "Id", "ProgrammeId", "LargestCobbDeg", "AtrDeg" });
        }
    }
}
