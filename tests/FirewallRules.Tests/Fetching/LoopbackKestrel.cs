using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FirewallRules.Tests.Fetching;

/// <summary>
/// Kestrel for the tests' servers: on 127.0.0.1 and a free port, or on a listening socket the test made, such as one
/// inside a network namespace (Kestrel serves an existing socket through <c>ListenHandle</c>), so that a tool running in
/// that namespace reaches it on its own loopback.
/// </summary>
internal static class LoopbackKestrel
{
    public static WebApplication Build(Socket? listener)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        if (listener is null)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenHandle((ulong)listener.Handle));
        }

        // Headers as a hostile server sends them: any byte, not only ASCII (Kestrel refuses others by default).
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ResponseHeaderEncodingSelector = _ => System.Text.Encoding.Latin1);
        builder.Logging.ClearProviders();
        // A test that fails while a request hangs must not wait long for shutdown.
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(1));
        return builder.Build();
    }

    /// <summary>Starts <paramref name="app"/> and returns its root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public static async Task<Uri> StartAsync(WebApplication app, Socket? listener)
    {
        await app.StartAsync();
        if (listener is not null)
        {
            return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndPoint!).Port}/");
        }

        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new Uri(address.TrimEnd('/') + "/");
    }

    /// <summary>A TCP socket listening on 127.0.0.1 and a free port inside <paramref name="createSocket"/>'s namespace.</summary>
    public static Socket Listen(Func<AddressFamily, ProtocolType, Socket> createSocket)
    {
        Socket socket = createSocket(AddressFamily.InterNetwork, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        socket.Listen(64);
        return socket;
    }
}
