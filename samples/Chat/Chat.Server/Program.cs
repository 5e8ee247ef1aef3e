using Chat.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.FileProviders;
using TypedSio.Server.Hubs;
using TypedSio.Server.SocketIO;

// `dotnet run --project samples/Chat/Chat.Server [--port N | --urls URL]`; the default stays on the loopback interface.
var builder = WebApplication.CreateSlimBuilder(args);
if (builder.Configuration["urls"] is not { Length: > 0 })
{
    builder.WebHost.UseUrls($"http://127.0.0.1:{builder.Configuration["port"] ?? "5000"}");
}

builder.Services.AddSocketIO();
builder.Services.AddSingleton<ChatRooms>();

var app = builder.Build();

// The page and the official browser client sit next to the executable (the build copies them), so `dotnet run` and a
// native AOT binary serve the same files.
var page = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "client"));
app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = page });
app.UseStaticFiles(new StaticFileOptions { FileProvider = page });

app.MapSocketIO().MapHub<ChatHub>("/");

await app.StartAsync();
foreach (var address in app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses)
{
    Console.WriteLine($"Chat server listening on {address}/");
}

await app.WaitForShutdownAsync();
