using TypedSio.Generators.Tests.Support;

namespace TypedSio.Generators.Tests;

public sealed class DiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using TypedSio;
        using TypedSio.Hubs;

        """;

    [Fact]
    public void CreateProxy_ClassInsteadOfInterface_ReportsTSIO001AtTheTypeArgument()
    {
        Verify("""
            public sealed class NotAContract { }
            public static class Use { public static void Run(ISocketIOEmitter e) => e.CreateProxy<{|TSIO001:NotAContract|}>(); }
            """);
    }

    [Fact]
    public void ContractMethod_UnsupportedReturnTypes_ReportTSIO002AtTheMethod()
    {
        Verify("""
            public interface IBad
            {
                void {|TSIO002:Fire|}();
                int {|TSIO002:Count|}();
                Task<Action> {|TSIO002:Callback|}();
                Task Fine();
            }
            public static class Use { public static void Run(ISocketIOEmitter e) => e.CreateProxy<IBad>(); }
            """);
    }

    [Fact]
    public void ContractParameter_RefOutInParams_ReportTSIO003AtTheParameter()
    {
        Verify("""
            public interface IBad
            {
                Task A(ref int {|TSIO003:x|});
                Task B(out int {|TSIO003:y|});
                Task C(in int {|TSIO003:z|});
                Task D(params string[] {|TSIO003:rest|});
            }
            public static class Use { public static void Run(ISocketIOEventRegistry r, IBad b) => r.Register(b); }
            """);
    }

    [Fact]
    public void ContractMethods_OverloadsAndAttributeClashes_ReportTSIO004AtTheLaterMethod()
    {
        Verify("""
            public interface IBad
            {
                Task Send(string text);
                Task {|TSIO004:Send|}(string text, int times);
                [SocketEvent("send")] Task {|TSIO004:Other|}();
            }
            public static class Use { public static void Run(ISocketIOEmitter e) => e.CreateProxy<IBad>(); }
            """);
    }

    [Fact]
    public void ContractMethod_Generic_ReportsTSIO005()
    {
        Verify("""
            public interface IBad { Task {|TSIO005:Send|}<T>(T value); }
            public static class Use { public static void Run(ISocketIOEmitter e) => e.CreateProxy<IBad>(); }
            """);
    }

    [Fact]
    public void ContractParameter_UnsupportedTypes_ReportTSIO006AtTheParameter()
    {
        Verify("""
            public interface IBad
            {
                Task A(Action {|TSIO006:callback|});
                Task B(CancellationToken first, CancellationToken {|TSIO006:second|});
                Task C(List<Func<int>> {|TSIO006:factories|});
            }
            public static class Use { public static void Run(ISocketIOEmitter e) => e.CreateProxy<IBad>(); }
            """);
    }

    [Fact]
    public void SerializerContext_MissingContractType_ReportsTSIO007AtTheUsage()
    {
        Verify("""
            public sealed record Known(Nested Inner);
            public sealed record Nested(int Value);
            public sealed record Unknown(int Value);
            [SocketContractSerializer(typeof(Ctx))]
            public interface IApi { Task A(Known known, Nested nested, string plain); Task<Unknown> B(); }
            [System.Text.Json.Serialization.JsonSerializable(typeof(Known))]
            public sealed class Ctx : System.Text.Json.Serialization.JsonSerializerContext
            {
                public Ctx() : base(null) { }
                public static Ctx Default { get; } = new();
                protected override System.Text.Json.JsonSerializerOptions? GeneratedSerializerOptions => null;
                public override System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(Type type) => null;
            }
            public static class Use { public static void Run(ISocketIOEmitter e) => e.CreateProxy<{|TSIO007:IApi|}>(); }
            """);
    }

    [Fact]
    public void AotMode_ContractWithoutContext_ReportsTSIO008ForEachNonPlainType()
    {
        Verify(
            """
            public sealed record Message(string Text);
            public interface IApi { Task Send(Message message, string plain, byte[] data); }
            public static class Use { public static void Run(ISocketIOEmitter e) => e.CreateProxy<{|TSIO008:IApi|}>(); }
            """,
            aotMode: true);
    }

    [Fact]
    public void NotAotMode_ContractWithoutContext_ReportsNothing()
    {
        Verify("""
            public sealed record Message(string Text);
            public interface IApi { Task Send(Message message); }
            public static class Use { public static void Run(ISocketIOEmitter e) => e.CreateProxy<IApi>(); }
            """);
    }

    [Fact]
    public void BroadcastTarget_AckMethodWithoutTimeout_ReportsTSIO009AtTheCall()
    {
        Verify("""
            public interface IClient { Task<bool> Confirm(string q); Task Notify(string text); }
            public interface IServer { Task Ask(string room); }
            public sealed partial class Hub : SocketHub<IClient>, IServer
            {
                public async Task Ask(string room)
                {
                    await {|TSIO009:Clients.All.Confirm("q")|};
                    await {|TSIO009:Clients.Room(room).Confirm("q")|};
                    await Clients.Caller.Confirm("fine: one recipient");
                    await Clients.Room(room).Notify("fine: no ack");
                    await Clients.All.InvokeWithAcksAsync(c => c.Confirm("fine: with a timeout"), TimeSpan.FromSeconds(1));
                    var everyone = Clients.Others;
                    await {|TSIO009:everyone.Confirm("q")|};
                    var one = Clients.Caller;
                    await one.Confirm("fine: one recipient");
                }
            }
            """);
    }

    [Fact]
    public void Contract_PropertyOrEvent_ReportsTSIO010AtTheMember()
    {
        Verify("""
            public interface IBad { string {|TSIO010:Name|} { get; } event EventHandler {|TSIO010:Changed|}; Task Fine(); }
            public static class Use { public static void Run(ISocketIOEmitter e) => e.CreateProxy<IBad>(); }
            """);
    }

    [Fact]
    public void Hub_NotPartialOrNested_ReportsTSIO011AtTheClassName()
    {
        var (source, _) = Markup.Parse(Usings + """
            public interface IClient { Task Notify(string text); }
            public sealed class {|TSIO011:Plain|} : SocketHub<IClient> { }
            public static partial class Outer { public sealed partial class {|TSIO011:Nested|} : SocketHub<IClient> { } }
            """);

        var output = GeneratorHarness.Run([source]);

        // The hubs also miss their abstract members (CS0534): that compiler error comes with TSIO011.
        Markup.AssertDiagnostics(Usings + """
            public interface IClient { Task Notify(string text); }
            public sealed class {|TSIO011:Plain|} : SocketHub<IClient> { }
            public static partial class Outer { public sealed partial class {|TSIO011:Nested|} : SocketHub<IClient> { } }
            """, output.Diagnostics);
        Assert.Null(output.Result.Results.Single().Exception);
    }

    [Fact]
    public void ContractMethod_ReservedOrEmptyEventName_ReportsTSIO012()
    {
        Verify("""
            public interface IBad { Task {|TSIO012:Connect|}(); [SocketEvent("")] Task {|TSIO012:Empty|}(); [SocketEvent("disconnecting")] Task {|TSIO012:Leaving|}(); }
            public static class Use { public static void Run(ISocketIOEmitter e) => e.CreateProxy<IBad>(); }
            """);
    }

    [Fact]
    public void Hub_TwoServerContractsSharingAnEvent_ReportsTSIO004AtTheHub()
    {
        Verify("""
            public interface IClient { Task Notify(string text); }
            public interface IA { Task Ping(); }
            public interface IB { [SocketEvent("ping")] Task Pong(); }
            public sealed partial class {|TSIO004:Hub|} : SocketHub<IClient>, IA, IB
            {
                public Task Ping() => Task.CompletedTask;
                public Task Pong() => Task.CompletedTask;
            }
            """,
            expectCleanCompilation: true);
    }

    [Fact]
    public void ContractFromReferencedAssembly_Invalid_ReportsAtTheUsageSite()
    {
        var library = GeneratorHarness.CompileLibrary(
            "public interface IBad { int Count(); }", "Bad.Contracts");
        const string markup = Usings + "public static class Use { public static void Run(ISocketIOEmitter e) => e.CreateProxy<{|TSIO002:IBad|}>(); }";

        var output = GeneratorHarness.Run([Markup.Parse(markup).Source], [library]);

        Markup.AssertDiagnostics(markup, output.Diagnostics);
    }

    [Fact]
    public void AssemblyAttribute_InvalidContract_ReportsAtTheTypeofArgument()
    {
        Verify("""
            [assembly: SocketProxy({|TSIO001:typeof(string)|})]
            """);
    }

    [Theory]
    [InlineData("public interface I { Task M(Missing x); } public static class U { static void R(ISocketIOEmitter e) => e.CreateProxy<I>(); }")]
    [InlineData("public static class U { static void R(ISocketIOEmitter e) => e.CreateProxy<Missing>(); }")]
    [InlineData("public sealed partial class H : SocketHub<Missing>, IMissing { }")]
    [InlineData("public static class U { static void R(ISocketIOEmitter e) => e.CreateProxy<")]
    [InlineData("public sealed partial class H : SocketHub<")]
    public void Generator_BrokenSource_NeverThrows(string source)
    {
        var output = GeneratorHarness.Run([Usings + source]);

        Assert.Null(output.Result.Results.Single().Exception);
        Assert.DoesNotContain(output.Diagnostics, d => d.Id.StartsWith("TSIO", StringComparison.Ordinal));
    }

    private static void Verify(string markup, bool aotMode = false, bool expectCleanCompilation = false)
    {
        markup = Usings + markup;
        var output = GeneratorHarness.Run([Markup.Parse(markup).Source], aotMode: aotMode);

        Assert.Null(output.Result.Results.Single().Exception);
        Markup.AssertDiagnostics(markup, output.Diagnostics);
        if (expectCleanCompilation)
        {
            Assert.True(output.CompilationDiagnostics.IsEmpty, string.Join("\n", output.CompilationDiagnostics));
        }
    }
}
