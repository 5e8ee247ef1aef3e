// The official socket.io-client (Node) as a chat member against the chat sample's server, using the plain event names
// a browser page would: "join" with an ack, "chat message", "shareFile" with a Buffer.
// Usage: node chat-client.mjs <url> <transport: polling|websocket> <user> <room>
// Stdin lines: "say <text>" emits "chat message"; "file <name> <text>" emits shareFile with the text's bytes.
// Prints READY <transport> <join ack JSON> once joined, then MESSAGE <json>, JOINED <room> <user>, LEFT <room> <user>,
// FILE <name> <user> <binary?> <bytes as text>.
import { io } from "socket.io-client";
import { createInterface } from "node:readline";

const [url, transport, user, room] = process.argv.slice(2);
const socket = io(url, { transports: [transport] });
const print = (line) => process.stdout.write(line + "\n");

socket.on("messageReceived", (m) => print(`MESSAGE ${JSON.stringify(m)}`));
socket.on("userJoined", (r, u) => print(`JOINED ${r} ${u}`));
socket.on("userLeft", (r, u) => print(`LEFT ${r} ${u}`));
socket.on("fileShared", (f) => print(`FILE ${f.name} ${f.user} ${Buffer.isBuffer(f.data)} ${Buffer.from(f.data).toString()}`));
socket.on("connect_error", (e) => print(`ERROR ${e.message}`));
socket.on("connect", async () => {
  const joined = await socket.timeout(30000).emitWithAck("join", room, user);
  print(`READY ${socket.io.engine.transport.name} ${JSON.stringify(joined)}`);
});

createInterface({ input: process.stdin }).on("line", (line) => {
  const [command, ...rest] = line.split(" ");
  if (command === "say") socket.emit("chat message", room, rest.join(" "));
  if (command === "file") socket.emit("shareFile", room, rest[0], Buffer.from(rest.slice(1).join(" ")));
}).on("close", () => socket.close());
