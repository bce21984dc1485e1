using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SpineScan.ServerStore.Migrations.Sqlite
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
                type: "INTEGER",
                nullable: true);
            migrationBuilder.AddColumn<byte[]>(
                name: "Body",
                table: "ScreeningPayloads",
                type: "BLOB",
                nullable: false,
                defaultValue: new byte[0]);

            // Carry the data over. The category in force was one column; now the device's claim, the server's assessment and
            // the clinician's review are each stored once. Rows from before had no server assessment: it is the device's.
            // The body was re-serialised before; rows from before keep that re-serialisation, wrapped as a body's members
            // (StoredReport reads either), and their BodySha256 stays the hash of the original request.
            migrationBuilder.Sql("UPDATE \"Screenings\" SET \"ReviewedCategory\" = CASE WHEN \"Reviewed\" THEN \"Category\" END, \"Category\" = \"DeviceCategory\";");
            migrationBuilder.Sql("UPDATE \"ScreeningPayloads\" SET \"Body\" = CAST('{\"analysis\":' || \"AnalysisJson\" || ',\"depthMap\":' || COALESCE(\"DepthMapJson\", 'null') || '}' AS BLOB);");

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
                type: "INTEGER",
                nullable: false,
                computedColumnSql: "\"ReviewedCategory\" IS NOT NULL",
                stored: true,
                oldClrType: typeof(bool),
                oldType: "INTEGER");
            migrationBuilder.AlterColumn<int>(
                name: "Priority",
                table: "Screenings",
                type: "INTEGER",
                nullable: false,
                computedColumnSql: "CASE COALESCE(\"ReviewedCategory\", \"AssessedCategory\") WHEN 2 THEN 0 WHEN 1 THEN 1 WHEN 3 THEN 2 ELSE 3 END",
                stored: true,
                oldClrType: typeof(int),
                oldType: "INTEGER");








            migrationBuilder.CreateTable(
                name: "EhrClients",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    ProgrammeId = table.Column<int>(type: "INTEGER", nullable: false),
                    SecretSha256 = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Label = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    CreatedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RevokedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
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
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(bool),
                oldType: "INTEGER",
                oldComputedColumnSql: "\"ReviewedCategory\" IS NOT NULL");

            migrationBuilder.AlterColumn<int>(
                name: "Priority",
                table: "Screenings",
                type: "INTEGER",
                nullable: false,
                oldClrType: typeof(int),
                oldType: "INTEGER",
                oldComputedColumnSql: "CASE COALESCE(\"ReviewedCategory\", \"AssessedCategory\") WHEN 2 THEN 0 WHEN 1 THEN 1 WHEN 3 THEN 2 ELSE 3 END");

            migrationBuilder.AddColumn<string>(
                name: "AnalysisJson",
                table: "ScreeningPayloads",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "DepthMapJson",
                table: "ScreeningPayloads",
                type: "TEXT",
                nullable: true);
        }
    }
}
