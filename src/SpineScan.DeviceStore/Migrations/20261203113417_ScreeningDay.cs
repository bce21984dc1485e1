using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SpineScan.DeviceStore.Migrations
{
    /// <inheritdoc />
    public partial class ScreeningDay : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_pupils_SessionId_PupilNumber",
                table: "pupils");

            migrationBuilder.AddColumn<long>(
                name: "SupersededAt",
                table: "screenings",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "SupersedesReportId",
                table: "screenings",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PupilNumberKey",
                table: "pupils",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PseudonymKeyId",
                table: "outbox",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "IsChange",
                table: "consents",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "registration",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ServerUrl = table.Column<string>(type: "TEXT", nullable: false),
                    DeviceId = table.Column<string>(type: "TEXT", nullable: false),
                    Credential = table.Column<string>(type: "TEXT", nullable: false),
                    ProgrammeCode = table.Column<string>(type: "TEXT", nullable: true),
                    ProgrammeKey = table.Column<string>(type: "TEXT", nullable: true),
                    PublicBaseUrl = table.Column<string>(type: "TEXT", nullable: true),
                    RegisteredAt = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_registration", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_pupils_SessionId_PupilNumberKey",
                table: "pupils",
                columns: new[] { "SessionId", "PupilNumberKey" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "registration");

            migrationBuilder.DropIndex(
                name: "IX_pupils_SessionId_PupilNumberKey",
                table: "pupils");

            migrationBuilder.DropColumn(
                name: "SupersededAt",
                table: "screenings");

            migrationBuilder.DropColumn(
                name: "SupersedesReportId",
                table: "screenings");

            migrationBuilder.DropColumn(
                name: "PupilNumberKey",
                table: "pupils");

            migrationBuilder.DropColumn(
                name: "PseudonymKeyId",
                table: "outbox");

            migrationBuilder.DropColumn(
                name: "IsChange",
                table: "consents");

            migrationBuilder.CreateIndex(
                name: "IX_pupils_SessionId_PupilNumber",
                table: "pupils",
                columns: new[] { "SessionId", "PupilNumber" },
                unique: true);
        }
    }
}
