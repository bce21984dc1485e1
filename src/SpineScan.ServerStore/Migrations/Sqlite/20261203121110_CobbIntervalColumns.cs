using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SpineScan.ServerStore.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CobbIntervalColumns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "LargestCobbLower90Deg",
                table: "Screenings",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "LargestCobbUpper90Deg",
                table: "Screenings",
                type: "REAL",
                nullable: true);

            // Existing rows: the largest curve's interval from the stored body (the first curve is the largest; older bodies have none).
            migrationBuilder.Sql(
                "UPDATE \"Screenings\" SET " +
                "\"LargestCobbLower90Deg\" = (SELECT json_extract(CAST(p.\"Body\" AS TEXT), '$.analysis.metrics.cobbDeg[0].interval90.lower') FROM \"ScreeningPayloads\" p WHERE p.\"ScreeningId\" = \"Screenings\".\"Id\"), " +
                "\"LargestCobbUpper90Deg\" = (SELECT json_extract(CAST(p.\"Body\" AS TEXT), '$.analysis.metrics.cobbDeg[0].interval90.upper') FROM \"ScreeningPayloads\" p WHERE p.\"ScreeningId\" = \"Screenings\".\"Id\");");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "LargestCobbLower90Deg",
                table: "Screenings");

            migrationBuilder.DropColumn(
                name: "LargestCobbUpper90Deg",
                table: "Screenings");
        }
    }
}
