using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SpineScan.ServerStore.Migrations.Postgres
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
                type: "double precision",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "LargestCobbUpper90Deg",
                table: "Screenings",
                type: "double precision",
                nullable: true);

            // Existing rows: the largest curve's interval from the stored body (the first curve is the largest; older bodies have none).
            migrationBuilder.Sql(
                "UPDATE \"Screenings\" s SET " +
                "\"LargestCobbLower90Deg\" = (convert_from(p.\"Body\", 'UTF8')::jsonb #>> '{analysis,metrics,cobbDeg,0,interval90,lower}')::double precision, " +
                "\"LargestCobbUpper90Deg\" = (convert_from(p.\"Body\", 'UTF8')::jsonb #>> '{analysis,metrics,cobbDeg,0,interval90,upper}')::double precision " +
                "FROM \"ScreeningPayloads\" p WHERE p.\"ScreeningId\" = s.\"Id\";");
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
