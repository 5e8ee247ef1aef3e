using Microsoft.CodeAnalysis;
using TypedSio.Generators.Tests.Support;

namespace TypedSio.Generators.Tests;

public sealed class SnapshotTests
{
    [Fact]
    public void ChatContracts_HubAndClient_MatchSnapshots()
    {
        var output = GeneratorHarness.Run([Sources.ChatContracts, Sources.ChatHub, Sources.ChatClientUsage]);

        AssertClean(output);
        Assert.Equal(
            ["Chat_IChatClient.g.cs", "Chat_IChatServer.g.cs", "Chat_Server_ChatHub.Hub.g.cs", "TypedSioContractRegistration.g.cs"],
            output.HintNames.Order(StringComparer.Ordinal));
        Snapshot.Match("Chat_IChatServer", output.Source("Chat_IChatServer.g.cs"));
        Snapshot.Match("Chat_IChatClient", output.Source("Chat_IChatClient.g.cs"));
        Snapshot.Match("ChatHub", output.Source("Chat_Server_ChatHub.Hub.g.cs"));
        Snapshot.Match("ChatRegistration", output.Source("TypedSioContractRegistration.g.cs"));
    }

    [Fact]
    public void EventNames_PoliciesAndAttributes_MatchSnapshot()
    {
        const string source = """
            using System.Threading.Tasks;
            using TypedSio;
            using TypedSio.Hubs;

            [SocketContract(NamingPolicy = SocketEventNamingPolicy.KebabCase)]
            public interface IKebab
            {
                Task SendHTTPRequest(string url);

                [SocketEvent("ünïcode \"quoted\" \\ name")]
                Task Odd();
            }

            [SocketContract(NamingPolicy = SocketEventNamingPolicy.Exact)]
            public interface IExact
            {
                Task KeepAsIs(int @event);
            }

            public static class Use
            {
                public static void Run(ISocketIOEmitter e)
                {
                    e.CreateProxy<IKebab>();
                    e.CreateProxy<IExact>();
                }
            }
            """;

        var output = GeneratorHarness.Run([source]);

        AssertClean(output);
        Snapshot.Match("IKebab", output.Source("IKebab.g.cs"));
        Snapshot.Match("IExact", output.Source("IExact.g.cs"));
    }

    [Fact]
    public void BinaryContract_BuiltinsWithoutContext_MatchSnapshot()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            using TypedSio.Hubs;

            public interface IFiles
            {
                Task Upload(string name, byte[] data, ReadOnlyMemory<byte> more);

                Task<byte[]?> Download(string name, DateTimeOffset since);
            }

            public static class Use
            {
                public static void Run(ISocketIOEventRegistry r, IFiles files) => r.Register(files);
            }
            """;

        var output = GeneratorHarness.Run([source], aotMode: true);

        AssertClean(output);
        Snapshot.Match("IFiles", output.Source("IFiles.g.cs"));
    }

    [Fact]
    public void GenericContract_ClosedAtUsageSite_MatchSnapshot()
    {
        const string source = """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using TypedSio.Hubs;

            namespace Rpc;

            public interface IRpc<TRequest, TResponse>
            {
                Task<TResponse> Call(TRequest request);
            }

            public interface IEcho : IRpc<string, List<int>>
            {
                Task Ping();
            }

            public static class Use
            {
                public static void Run(ISocketIOEmitter e)
                {
                    e.CreateProxy<IRpc<int, string?>>();
                    e.CreateProxy<IEcho>();
                }
            }
            """;

        var output = GeneratorHarness.Run([source]);

        AssertClean(output);
        Snapshot.Match("Rpc_IRpc_int_string", output.Source("Rpc_IRpc_int_string_Nullable.g.cs"));
        Snapshot.Match("Rpc_IEcho", output.Source("Rpc_IEcho.g.cs"));
    }

    [Fact]
    public void ContractFromReferencedAssembly_UsedByHubAndClient_GeneratesCleanCode()
    {
        var contracts = GeneratorHarness.CompileLibrary(Sources.ChatContracts, "Chat.Contracts");

        var output = GeneratorHarness.Run([Sources.ChatHub, Sources.ChatClientUsage], [contracts]);

        AssertClean(output);
        Snapshot.Match("Referenced_ChatHub", output.Source("Chat_Server_ChatHub.Hub.g.cs"));
        Assert.Equal(
            GeneratorHarness.Run([Sources.ChatContracts, Sources.ChatHub, Sources.ChatClientUsage]).Source("Chat_IChatServer.g.cs"),
            output.Source("Chat_IChatServer.g.cs"));
    }

    [Fact]
    public void AssemblyAttributes_ContractsWithoutCallSites_RegisterProxyAndBinder()
    {
        const string source = """
            using System.Threading.Tasks;
            using TypedSio.Hubs;

            [assembly: SocketProxy(typeof(Api.IOutbound))]
            [assembly: SocketReceiver(typeof(Api.IInbound<int>))]

            namespace Api;

            public interface IOutbound { Task Send(string text); }

            public interface IInbound<T> { Task<T> Receive(T value); }
            """;

        var output = GeneratorHarness.Run([source]);

        AssertClean(output);
        Assert.Contains("Api_IOutbound_BroadcastProxy", output.Source("Api_IOutbound.g.cs"), StringComparison.Ordinal);
        Snapshot.Match("AttributeRegistration", output.Source("TypedSioContractRegistration.g.cs"));
    }

    private static void AssertClean(GeneratorOutput output)
    {
        Assert.Empty(output.Diagnostics);
        Assert.True(output.CompilationDiagnostics.IsEmpty, string.Join("\n", output.CompilationDiagnostics));
        foreach (var source in output.Result.Results.Single().GeneratedSources)
        {
            var text = source.SourceText.ToString();
            Assert.StartsWith("// <auto-generated/>\n#nullable enable\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("\r", text, StringComparison.Ordinal);
        }
    }
}
