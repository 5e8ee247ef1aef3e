// Captures what Node's sharded redis adapter (createShardedAdapter, ClusterAdapter messages) publishes, for the .NET
// codec's fixture tests. Two servers A and B in dynamic mode, a client on B answering acks; A starts every operation,
// B answers. Messages are recorded where the adapters hand them to sPublish (a subscribed spy would be counted as a
// server by PUBSUB SHARDNUMSUB). Usage: node redis-sharded-capture.mjs <redis url>. Prints CAPTURE <step>-<n> <channel> <hex> per message, then DONE.
import http from "node:http";
import { Server } from "socket.io";
import { io as connect } from "socket.io-client";
import { createShardedAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

const url = process.argv[2];
const clients = Array.from({ length: 4 }, () => createClient({ url }));
await Promise.all(clients.map((c) => c.connect()));
const [pubA, subA, pubB, subB] = clients;
let name = "";
let index = 0;
const seen = [];
for (const pub of [pubA, pubB]) {
  const publish = pub.sPublish.bind(pub);
  pub.sPublish = (channel, payload) => {
    seen.push(`CAPTURE ${name}-${++index} ${channel} ${Buffer.from(payload).toString("hex")}`);
    return publish(channel, payload);
  };
}

const a = new Server({ adapter: createShardedAdapter(pubA, subA) });
const httpB = http.createServer();
const b = new Server(httpB, { adapter: createShardedAdapter(pubB, subB) });
await new Promise((resolve) => httpB.listen(0, "127.0.0.1", resolve));
b.of("/").on("connection", (socket) => {
  socket.data.bytes = Buffer.from([9, 8]);
  socket.data.when = "2024-01-02T03:04:05.678Z";
  socket.join("room");
});
b.of("/").on("ask", (value, ack) => ack({ from: "b", value, bin: Buffer.from([4]) }));
const client = connect(`http://127.0.0.1:${httpB.address().port}`, { transports: ["websocket"] });
client.on("question", (...args) => args.pop()({ answer: Buffer.from([5, 6]), n: 1 }));
await new Promise((resolve) => client.once("connect", resolve));

const settle = async () => {
  for (const c of clients) await c.ping();
  await new Promise((resolve) => setTimeout(resolve, 100));
  for (const c of clients) await c.ping();
};
const step = async (label, action) => {
  name = label;
  index = 0;
  await action();
  await settle();
};
const values = [0, 1, -1, 255, 65536, -129, 4294967296, -2147483649, 9007199254740991, 1.5, null, true, "héllo ✓", [1, [2]],
  { a: { b: [1, "c", null] } }, Buffer.from([1, 2, 3]), { nested: Buffer.alloc(40, 7) }, new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))];
await step("broadcast-binary", () => a.emit("values", ...values));
await step("broadcast-json", () => a.emit("plain", 1, "two", { three: [3] }, new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678))));
await step("broadcast-room", () => a.to("room").emit("one", 1));
await step("broadcast-rooms", () => a.to(["room", "other"]).except("x").volatile.emit("two", "x"));
await step("broadcast-socket", () => a.to("abcdefghij0123456789").emit("sid"));
await step("broadcast-chat", () => a.of("/chat").emit("hi", { x: 1 }));
await step("fetch", () => a.in("room").fetchSockets());
await step("join", () => a.in("room").socketsJoin(["s", "t"]));
await step("leave", () => a.except("nobody").socketsLeave("s"));
await step("serverSideEmit", () => a.serverSideEmit("ping", 1, "a", { b: [true] }));
await step("serverSideEmitWithAck", () => a.serverSideEmitWithAck("ask", Buffer.from([7])));
await step("broadcastWithAck", () => a.timeout(2000).emitWithAck("question", Buffer.from("bin"), 2));
await step("disconnect", () => a.in("room").disconnectSockets(true));
for (const line of seen) console.log(line);
console.log("DONE");
process.exit(0);
