using System.Linq;

namespace TypedSio.Generators;

public sealed partial class TypedSioGenerator
{
    internal static partial class Emitter
    {
        private static void EmitBinder(SourceWriter writer, ContractModel contract)
        {
            writer.WriteLine($"/// <summary>Registers the methods of a <c>{EscapeXml(contract.Name)}</c> receiver as event handlers.</summary>");
            writer.WriteLine(GeneratedCode);
            writer.OpenBlock($"internal static class {contract.Identifier}_Binder");
            writer.OpenBlock($"public static global::System.IDisposable Bind({Hubs}ISocketIOEventRegistry registry, {contract.Name} receiver)");
            writer.WriteLine($"var __subscriptions = new global::System.IDisposable[{contract.Methods.Count}];");
            var index = 0;
            foreach (var method in contract.Methods)
            {
                writer.WriteLine($"__subscriptions[{index++}] = registry.On(\"{Escape(method.EventName)}\", async (__arguments, __cancellationToken) =>");
                writer.WriteLine("{");
                using (new Indent(writer))
                {
                    EmitInvocation(writer, contract, method, "receiver");
                }

                writer.WriteLine("});");
            }

            writer.WriteLine($"return new {Hubs}SocketIOSubscriptions(__subscriptions);");
            writer.CloseBlock();
            writer.CloseBlock();
        }

        /// <summary>Reads the arguments, calls the method and returns the acknowledgement reply (or null).</summary>
        private static void EmitInvocation(SourceWriter writer, ContractModel contract, MethodModel method, string target)
        {
            var arguments = new string[method.Parameters.Count];
            var position = 0;
            for (var i = 0; i < arguments.Length; i++)
            {
                var parameter = method.Parameters[i];
                if (parameter.IsCancellationToken)
                {
                    arguments[i] = "__cancellationToken";
                    continue;
                }

                arguments[i] = "__arg" + position;
                writer.WriteLine($"var {arguments[i]} = {ReadArgument(contract, "__arguments", position, parameter.Type)};");
                position++;
            }

            var call = $"{target}.{Naming.EscapeKeyword(method.Name)}({string.Join(", ", arguments)})";
            if (!method.HasResult)
            {
                writer.WriteLine($"await {call}.ConfigureAwait(false);");
                writer.WriteLine("return null;");
                return;
            }

            writer.WriteLine($"var __result = await {call}.ConfigureAwait(false);");
            writer.WriteLine($"var __reply = new {SocketIO}SocketIOPayloadWriter();");
            writer.WriteLine("__reply.WriteStartArray();");
            writer.WriteLine(WriteValue(contract, "__reply", "__result", method.Result!));
            writer.WriteLine("__reply.WriteEndArray();");
            writer.WriteLine($"return __reply.ToPacket({SocketIO}SocketIOPacketType.Ack);");
        }

        public static string EmitHub(HubModel hub)
        {
            var writer = StartFile();
            if (hub.Namespace is not null)
            {
                writer.OpenBlock("namespace " + hub.Namespace);
            }

            var entries = hub.IsComplete
                ? hub.ServerContracts.SelectMany(c => c.Methods.Select(m => (Contract: c, Method: m)))
                    .OrderBy(e => e.Method.EventName, System.StringComparer.Ordinal).ToList()
                : [];
            writer.OpenBlock($"partial class {hub.ClassName}");
            var names = string.Join(", ", entries.Select(e => $"\"{Escape(e.Method.EventName)}\""));
            writer.WriteLine($"private static readonly string[] __eventNames = new string[] {{ {names} }};");
            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc />");
            writer.WriteLine(GeneratedCode);
            writer.WriteLine("public override global::System.Collections.Generic.IReadOnlyList<string> EventNames => __eventNames;");
            writer.WriteLine();
            writer.WriteLine("/// <inheritdoc />");
            writer.WriteLine(GeneratedCode);
            var signature = $"{Tasks}ValueTask<{SocketIO}SocketIOPacket?> DispatchAsync(string eventName, {SocketIO}SocketIOArguments __arguments, global::System.Threading.CancellationToken __cancellationToken)";
            if (entries.Count == 0)
            {
                writer.WriteLine($"public override {signature} => new {Tasks}ValueTask<{SocketIO}SocketIOPacket?>(({SocketIO}SocketIOPacket?)null);");
            }
            else
            {
                writer.OpenBlock($"public override async {signature}");
                writer.OpenBlock("switch (eventName)");
                foreach (var (contract, method) in entries)
                {
                    writer.WriteLine($"case \"{Escape(method.EventName)}\":");
                    writer.OpenBlock();
                    EmitInvocation(writer, contract, method, $"(({contract.Name})this)");
                    writer.CloseBlock();
                }

                writer.WriteLine("default:");
                using (new Indent(writer))
                {
                    writer.WriteLine("return null;");
                }

                writer.CloseBlock();
                writer.CloseBlock();
            }

            writer.CloseBlock();
            if (hub.Namespace is not null)
            {
                writer.CloseBlock();
            }

            return writer.ToString();
        }

        public static string EmitRegistration(EquatableArray<ContractUnit> units)
        {
            var writer = StartFile();
            writer.OpenBlock("namespace " + GeneratedNamespace);
            writer.WriteLine("/// <summary>Registers this assembly's generated proxies and binders when the module loads.</summary>");
            writer.WriteLine(GeneratedCode);
            writer.OpenBlock("internal static class TypedSioContractRegistration");
            writer.WriteLine("[global::System.Runtime.CompilerServices.ModuleInitializer]");
            writer.OpenBlock("internal static void Register()");
            foreach (var unit in units)
            {
                var contract = unit.Contract;
                if ((unit.Roles & ContractRoles.Proxy) != 0)
                {
                    writer.WriteLine($"{Hubs}SocketContractRegistry.AddProxy<{contract.Name}>(static (emitter, ackTimeout) => new {contract.Identifier}_Proxy(emitter, ackTimeout));");
                }

                if ((unit.Roles & ContractRoles.BroadcastProxy) != 0)
                {
                    writer.WriteLine($"{Hubs}SocketContractRegistry.AddBroadcastProxy<{contract.Name}>(static (emitter, acks) => new {contract.Identifier}_BroadcastProxy(emitter, acks));");
                }

                if ((unit.Roles & ContractRoles.Binder) != 0)
                {
                    writer.WriteLine($"{Hubs}SocketContractRegistry.AddBinder<{contract.Name}>(static (registry, receiver) => {contract.Identifier}_Binder.Bind(registry, receiver));");
                }
            }

            writer.CloseBlock();
            writer.CloseBlock();
            writer.CloseBlock();
            return writer.ToString();
        }

        private readonly struct Indent : System.IDisposable
        {
            private readonly SourceWriter _writer;

            public Indent(SourceWriter writer)
            {
                _writer = writer;
                _writer.Push();
            }

            public void Dispose() => _writer.Pop();
        }
    }
}
