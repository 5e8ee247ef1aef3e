// Captures what Node's @socket.io/redis-adapter publishes, for the .NET codec's fixture tests.
// Usage: node redis-capture.mjs <redis url>. Prints CAPTURE <name> <channel> <hex> per message, then DONE.
import { Server } from "socket.io";
import { createAdapter } from "@socket.io/redis-adapter";
import { createClient } from "redis";

const url = process.argv[2];
const pub = createClient({ url });
const sub = pub.duplicate();
const spy = pub.duplicate();
await Promise.all([pub.connect(), sub.connect(), spy.connect()]);
let name = "";
const seen = [];
await spy.pSubscribe("socket.io*", (message, channel) => {
  seen.push(`CAPTURE ${name} ${channel} ${message.toString("hex")}`);
}, true);
const io = new Server({ adapter: createAdapter(pub, sub) });
const step = async (label, action) => {
  name = label;
  await action();
  await pub.ping();
  await spy.ping();
};
const values = [0, 1, -1, 127, 128, 255, 256, 65535, 65536, -32, -33, -128, -129, -32768, -32769, 4294967295, 4294967296,
  -2147483648, -2147483649, 9007199254740991, -9007199254740991, 1.5, -0.25, 1e300, null, true, false, "", "héllo ✓",
  "x".repeat(40), "y".repeat(300), [], [1, [2, [3]]], {}, { a: { b: [1, "c", null] } }, Buffer.from([1, 2, 3]),
  { nested: Buffer.alloc(300, 7) }, new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
  new Date(Date.UTC(1969, 11, 31, 23, 59, 59, 999)), new Date(Date.UTC(2600, 0, 1))];
await step("all", () => io.emit("values", ...values));
await step("room", () => io.to("room*?").emit("one", 1));
await step("rooms", () => io.to(["a", "b"]).except("c").emit("two", "x"));
await step("volatile", () => io.volatile.compress(false).to("r").emit("v"));
await step("chat", () => io.of("/chat").emit("hi", { x: 1 }));
await step("fetch", () => io.in("r").fetchSockets());
await step("join", () => io.in("r").socketsJoin(["s", "t"]));
await step("leave", () => io.except("r").socketsLeave("s"));
await step("disconnect", () => io.in("r").disconnectSockets(true));
await step("serverSideEmit", () => io.serverSideEmit("ping", 1, "a", { b: [true] }));
await step("ack", () => new Promise((resolve) => io.timeout(10).emit("ask", Buffer.from("bin"), 2, () => resolve())));
for (const line of seen) console.log(line);
console.log("DONE");
process.exit(0);
