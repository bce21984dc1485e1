using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace SpineScan.ServerStore.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProgrammeProbabilities : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "ReferProbability",
                table: "Programmes",
                type: "double precision",
                nullable: false,
                defaultValue: 0.5); // existing programmes keep the point rule (CategoryThresholds.DefaultReferProbability)

            migrationBuilder.AddColumn<double>(
                name: "RescreenProbability",
                table: "Programmes",
                type: "double precision",
                nullable: false,
                defaultValue: 0.5); // existing programmes keep the point rule (CategoryThresholds.DefaultReferProbability)
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "ReferProbability",
                table: "Programmes");

            migrationBuilder.DropColumn(
                name: "RescreenProbability",
                table: "Programmes");
        }
    }
}
