// Drives the official socket.io-client against a TypedSio Socket.IO server.
// Usage: node server-socket-client.mjs <base url>
// Commands on stdin, one per line ("<name>" labels a socket; JSON arguments use {"$bin":"<base64>"} for binary):
//   connect <name> <namespace> <client options JSON>   (forceNew:true in the options gives the socket its own connection)
//   emit <name> <event> <args JSON array>
//   emitack <name> <timeout ms> <event> <args JSON array>
//   reply <name> <mode>          how the socket answers events that ask for an ack: "echo" (default), "silent"
//   join-order <name> <n>        emits "seq" with 0..n-1
//   disconnect <name> | close-engine <name> | mute-pong <name>
// Output lines: READY, CONNECT <name> <id> <recovered>, CONNECT_ERROR <name> <message> <data JSON>,
//   DISCONNECT <name> <reason>, UPGRADE <name> <transport>, EVENT <name> <event> <args JSON>, ACK <name> <event> <args JSON>,
//   ACKERR <name> <event> <message>, TRANSPORT <name> <transport>, ERROR <message>.
import { io } from "socket.io-client";
import { createInterface } from "node:readline";

const [base] = process.argv.slice(2);
const print = (line) => process.stdout.write(line + "\n");
const sockets = new Map();
const replyModes = new Map();
const muted = new Set();

const encode = (value) => {
  if (value instanceof ArrayBuffer) return { $bin: Buffer.from(value).toString("base64") };
  if (ArrayBuffer.isView(value)) return { $bin: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("base64") };
  if (Array.isArray(value)) return value.map(encode);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]));
  return value;
};
const decode = (value) => {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === "object") {
    if (typeof value.$bin === "string" && Object.keys(value).length === 1) return Buffer.from(value.$bin, "base64");
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
};

const patchEngine = (name, engine) => {
  const send = engine._sendPacket.bind(engine);
  engine._sendPacket = (type, ...rest) => {
    if (type === "pong" && muted.has(name)) return;
    send(type, ...rest);
  };
  engine.on("upgrade", (transport) => print(`UPGRADE ${name} ${transport.name}`));
};

const connect = (name, nsp, options) => {
  const socket = io(base + nsp, options);
  sockets.set(name, socket);
  const manager = socket.io;
  if (!manager.__patched) {
    manager.__patched = true;
    manager.on("open", () => patchEngine(name, manager.engine));
  }
  socket.on("connect", () => print(`CONNECT ${name} ${socket.id} ${socket.recovered}`));
  socket.on("connect_error", (err) => print(`CONNECT_ERROR ${name} ${err.message} ${JSON.stringify(err.data ?? null)}`));
  socket.on("disconnect", (reason) => print(`DISCONNECT ${name} ${reason}`));
  socket.onAny((event, ...args) => {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      const ack = args.pop();
      if ((replyModes.get(name) ?? "echo") === "echo") ack(...args);
    }
    print(`EVENT ${name} ${event} ${JSON.stringify(encode(args))}`);
  });
};

createInterface({ input: process.stdin }).on("line", async (line) => {
  const parts = line.split(" ");
  const [command, name] = parts;
  const socket = sockets.get(name);
  try {
    switch (command) {
      case "connect":
        connect(name, parts[2], JSON.parse(parts.slice(3).join(" ") || "{}"));
        break;
      case "emit":
        socket.emit(parts[2], ...decode(JSON.parse(parts.slice(3).join(" "))));
        break;
      case "emitack": {
        const event = parts[3];
        try {
          const result = await socket.timeout(Number(parts[2])).emitWithAck(event, ...decode(JSON.parse(parts.slice(4).join(" "))));
          print(`ACK ${name} ${event} ${JSON.stringify(encode([result]))}`);
        } catch (err) {
          print(`ACKERR ${name} ${event} ${err.message}`);
        }
        break;
      }
      case "reply":
        replyModes.set(name, parts[2]);
        print(`REPLY ${name} ${parts[2]}`);
        break;
      case "burst":
        for (let i = 0; i < Number(parts[2]); i++) socket.emit("seq", i);
        break;
      case "disconnect":
        socket.disconnect();
        break;
      case "close-engine":
        socket.io.engine.close();
        break;
      case "mute-pong":
        muted.add(name);
        print(`MUTED ${name}`);
        break;
      case "transport":
        print(`TRANSPORT ${name} ${socket.io.engine.transport.name}`);
        break;
      default:
        print(`ERROR unknown command ${command}`);
    }
  } catch (err) {
    print(`ERROR ${err && err.message}`);
  }
});

print("READY");
