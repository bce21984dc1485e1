using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SpineScan.ServerStore.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ServerStoreV2 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReviewedCategory",
                table: "Screenings",
                type: "integer",
                nullable: true);
            migrationBuilder.AddColumn<byte[]>(
                name: "Body",
                table: "ScreeningPayloads",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0]);

            // Carry the data over. The category in force was one column; now the device's claim, the server's assessment and
            // the clinician's review are each stored once. Rows from before had no server assessment: it is the device's.
            // The body was re-serialised before; rows from before keep that re-serialisation, wrapped as a body's members
            // (StoredReport reads either), and their BodySha256 stays the hash of the original request.
            migrationBuilder.Sql("UPDATE \"Screenings\" SET \"ReviewedCategory\" = CASE WHEN \"Reviewed\" THEN \"Category\" END, \"Category\" = \"DeviceCategory\";");
            migrationBuilder.Sql("UPDATE \"ScreeningPayloads\" SET \"Body\" = convert_to('{\"analysis\":' || \"AnalysisJson\" || ',\"depthMap\":' || COALESCE(\"DepthMapJson\", 'null') || '}', 'UTF8');");

            migrationBuilder.RenameColumn(
                name: "Category",
                table: "Screenings",
                newName: "AssessedCategory");
            migrationBuilder.DropColumn(
                name: "AnalysisJson",
                table: "ScreeningPayloads");
            migrationBuilder.DropColumn(
                name: "DepthMapJson",
                table: "ScreeningPayloads");
            migrationBuilder.AlterColumn<bool>(
                name: "Reviewed",
                table: "Screenings",
                type: "boolean",
                nullable: false,
                computedColumnSql: "\"ReviewedCategory\" IS NOT NULL",
                stored: true,
                oldClrType: typeof(bool),
                oldType: "boolean");
            migrationBuilder.AlterColumn<int>(
                name: "Priority",
                table: "Screenings",
                type: "integer",
                nullable: false,
                computedColumnSql: "CASE COALESCE(\"ReviewedCategory\", \"AssessedCategory\") WHEN 2 THEN 0 WHEN 1 THEN 1 WHEN 3 THEN 2 ELSE 3 END",
                stored: true,
                oldClrType: typeof(int),
                oldType: "integer");








            migrationBuilder.CreateTable(
                name: "EhrClients",
                columns: table => new
                {
                    Id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    ProgrammeId = table.Column<int>(type: "integer", nullable: false),
                    SecretSha256 = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Label = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RevokedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_EhrClients", x => x.Id);
                    table.ForeignKey(
                        name: "FK_EhrClients_Programmes_ProgrammeId",
                        column: x => x.ProgrammeId,
                        principalTable: "Programmes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_EhrClients_ProgrammeId",
                table: "EhrClients",
                column: "ProgrammeId");
        }

        
        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "EhrClients");

            migrationBuilder.DropColumn(
                name: "ReviewedCategory",
                table: "Screenings");

            migrationBuilder.DropColumn(
                name: "Body",
                table: "ScreeningPayloads");

            migrationBuilder.RenameColumn(
                name: "AssessedCategory",
                table: "Screenings",
                newName: "Category");

            migrationBuilder.AlterColumn<bool>(
                name: "Reviewed",
                table: "Screenings",
                type: "boolean",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "boolean",
                oldComputedColumnSql: "\"ReviewedCategory\" IS NOT NULL");

            migrationBuilder.AlterColumn<int>(
                name: "Priority",
                table: "Screenings",
                type: "integer",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "integer",
                oldComputedColumnSql: "CASE COALESCE(\"ReviewedCategory\", \"AssessedCategory\") WHEN 2 THEN 0 WHEN 1 THEN 1 WHEN 3 THEN 2 ELSE 3 END");

            migrationBuilder.AddColumn<string>(
                name: "AnalysisJson",
                table: "ScreeningPayloads",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DepthMapJson",
                table: "ScreeningPayloads",
                type: "text",
                nullable: true);
        }
    }
}
