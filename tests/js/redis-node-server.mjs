// A Node socket.io server in a Redis cluster (classic @socket.io/redis-adapter), plus official JS clients, driven by the
// .NET Redis adapter tests. Usage: node redis-node-server.mjs <port> <redis url> [json adapter options]
// With {"sharded": true, ...} in the options, the server uses createShardedAdapter (Redis 7 sharded pub/sub) instead.
// Namespaces "/" and "/chat". A client emitting "join" (room, ack) joins the room; server-side events "server-ping" are
// printed, "server-ask" (...args, ack) answers {from:"node", args}.
// Values in JSON lines: {"$bin":"<base64>"} is a Buffer, {"$date":"<iso>"} a Date (inputs only).
// Prints READY, then SERVER-EVENT <nsp> <event> <json args>, CLIENT <name> <id>, RECV <name> <event> <json args>,
// CLIENT-DISCONNECT <name> <reason>, and RESULT <id> <json> / ERROR <id> <message> for each stdin command (JSON lines):
//   {id, op:"client", name, url, nsp, transports?}      connect an official client (answers its id)
//   {id, op:"client-emit", name, event, args}           the client emits (with an ack; answers the ack's args)
//   {id, op:"emit", nsp, to?, except?, local?, event, args}
//   {id, op:"emitWithAck", nsp, to?, timeout, event, args}  answers {ok, responses} or {ok:false, error, responses}
//   {id, op:"fetch", nsp, to?}                           answers [{id, rooms, data, handshake}]
//   {id, op:"join"|"leave", nsp, to?, rooms} / {id, op:"disconnect", nsp, to?, close}
//   {id, op:"serverSideEmit", nsp, event, args} / {id, op:"serverSideEmitWithAck", nsp, event, args}
//   {id, op:"serverCount", nsp} / {id, op:"allRooms", nsp} / {id, op:"setData", nsp, socket, data}
import http from "node:http";
import readline from "node:readline";
import { Server } from "socket.io";
import { io as connect } from "socket.io-client";
import { createAdapter, createShardedAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

const port = Number(process.argv[2]);
const redisUrl = process.argv[3];
const { sharded, ...adapterOptions } = process.argv[4] ? JSON.parse(process.argv[4]) : {};

export function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === "object") {
    if (typeof value.$bin === "string") return Buffer.from(value.$bin, "base64");
    if (typeof value.$date === "string") return new Date(value.$date);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

export function show(value) {
  return JSON.stringify(value, function (key, v) {
    const raw = this[key];
    if (Buffer.isBuffer(raw) || raw instanceof ArrayBuffer || ArrayBuffer.isView(raw)) {
      return { $bin: Buffer.from(raw).toString("base64") };
    }
    return v;
  });
}

const pub = createClient({ url: redisUrl });
const sub = pub.duplicate();
pub.on("error", () => {});
sub.on("error", () => {});
await Promise.all([pub.connect(), sub.connect()]);

const httpServer = http.createServer();
const adapter = sharded ? createShardedAdapter(pub, sub, adapterOptions) : createAdapter(pub, sub, adapterOptions);
const io = new Server(httpServer, { adapter, pingInterval: 2000, pingTimeout: 5000 });

for (const name of ["/", "/chat"]) {
  const nsp = io.of(name);
  nsp.on("connection", (socket) => {
    socket.data.server = "node";
    socket.on("join", (room, ack) => {
      socket.join(room);
      if (typeof ack === "function") ack("joined");
    });
  });
  nsp.on("server-ping", (...args) => console.log(`SERVER-EVENT ${name} server-ping ${show(args)}`));
  nsp.on("server-ask", (...args) => {
    const ack = args.pop();
    console.log(`SERVER-EVENT ${name} server-ask ${show(args)}`);
    ack({ from: "node", args });
  });
}

const clients = new Map();

function target(cmd) {
  let op = io.of(cmd.nsp ?? "/");
  if (cmd.to && cmd.to.length) op = op.to(cmd.to);
  if (cmd.except && cmd.except.length) op = op.except(cmd.except);
  if (cmd.local) op = op.local;
  return op;
}

async function run(cmd) {
  switch (cmd.op) {
    case "client": {
      const socket = connect(cmd.url + (cmd.nsp && cmd.nsp !== "/" ? cmd.nsp : ""), {
        transports: cmd.transports ?? ["websocket"],
        reconnection: false,
        forceNew: true,
      });
      clients.set(cmd.name, socket);
      socket.onAny((event, ...args) => {
        const ack = typeof args[args.length - 1] === "function" ? args.pop() : null;
        console.log(`RECV ${cmd.name} ${event} ${show(args)}`);
        if (ack) ack({ client: cmd.name, event, args });
      });
      socket.on("disconnect", (reason) => console.log(`CLIENT-DISCONNECT ${cmd.name} ${reason}`));
      await new Promise((resolve, reject) => {
        socket.once("connect", resolve);
        socket.once("connect_error", reject);
      });
      console.log(`CLIENT ${cmd.name} ${socket.id}`);
      return socket.id;
    }
    case "client-emit":
      return await clients.get(cmd.name).timeout(10000).emitWithAck(cmd.event, ...revive(cmd.args ?? []));
    case "emit":
      target(cmd).emit(cmd.event, ...revive(cmd.args ?? []));
      return true;
    case "emitWithAck":
      try {
        const responses = await target(cmd).timeout(cmd.timeout ?? 5000).emitWithAck(cmd.event, ...revive(cmd.args ?? []));
        return { ok: true, responses };
      } catch (err) {
        return { ok: false, error: err.message, responses: err.responses ?? [] };
      }
    case "fetch": {
      const sockets = await target(cmd).fetchSockets();
      return sockets.map((s) => ({ id: s.id, rooms: [...s.rooms], data: s.data, handshake: s.handshake }));
    }
    case "join":
      target(cmd).socketsJoin(cmd.rooms);
      return true;
    case "leave":
      target(cmd).socketsLeave(cmd.rooms);
      return true;
    case "disconnect":
      target(cmd).disconnectSockets(cmd.close ?? false);
      return true;
    case "serverSideEmit":
      io.of(cmd.nsp ?? "/").serverSideEmit(cmd.event, ...revive(cmd.args ?? []));
      return true;
    case "serverSideEmitWithAck":
      try {
        return { ok: true, responses: await io.of(cmd.nsp ?? "/").serverSideEmitWithAck(cmd.event, ...revive(cmd.args ?? [])) };
      } catch (err) {
        return { ok: false, error: err.message };
      }
    case "allRooms":
      return [...await io.of(cmd.nsp ?? "/").adapter.allRooms()];
    case "serverCount":
      return await io.of(cmd.nsp ?? "/").adapter.serverCount();
    case "setData": {
      const socket = io.of(cmd.nsp ?? "/").sockets.get(cmd.socket);
      Object.assign(socket.data, revive(cmd.data));
      return true;
    }
    default:
      throw new Error("unknown op " + cmd.op);
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (!line.trim()) return;
  const cmd = JSON.parse(line);
  run(cmd).then(
    (result) => console.log(`RESULT ${cmd.id} ${show(result ?? null)}`),
    (err) => console.log(`ERROR ${cmd.id} ${err.message}`));
});

httpServer.listen(port, "127.0.0.1", () => console.log(`READY ${port}`));
