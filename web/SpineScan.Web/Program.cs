using SpineScan.Web;
using SpineScan.Web.Admin;
using SpineScan.Web.Operations;

if (args is ["--version"])
{
    Console.Out.WriteLine(ServerVersion.Current.ToText());
    return 0;
}

if (AdminCommands.IsAdminInvocation(args))
{
    return await AdminCommands.RunAsync(args, Console.Out).ConfigureAwait(false);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddSpineScanServer();

var app = builder.Build();
await app.UseSpineScanServerAsync().ConfigureAwait(false);
await app.RunAsync().ConfigureAwait(false);
return 0;
