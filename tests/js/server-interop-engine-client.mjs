// Drives the official engine.io-client against a TypedSio Engine.IO server.
// Usage: node server-interop-engine-client.mjs <url> '<client options as JSON>'
// Prints one line per event: READY, OPEN <transport>, UPGRADE <transport>, MESSAGE text <JSON string>,
// MESSAGE binary <base64>, CLOSE <reason>, ERROR <message>.
// Reads commands from stdin, one per line: "text <JSON string>", "binary <base64>", "burst <n>" (n texts "0".."n-1"),
// "mute-pong" (stop answering pings), "close".
import { Socket } from "engine.io-client";
import { createInterface } from "node:readline";

const [url, optionsJson] = process.argv.slice(2);
const options = optionsJson ? JSON.parse(optionsJson) : {};
const print = (line) => process.stdout.write(line + "\n");

const socket = new Socket(url, options);
let mutePong = false;
const sendPacket = socket._sendPacket.bind(socket);
socket._sendPacket = (type, ...rest) => {
  if (type === "pong" && mutePong) return;
  sendPacket(type, ...rest);
};

socket.on("open", () => print(`OPEN ${socket.transport.name}`));
socket.on("upgrade", (transport) => print(`UPGRADE ${transport.name}`));
socket.on("message", (data) => {
  if (typeof data === "string") {
    print(`MESSAGE text ${JSON.stringify(data)}`);
  } else {
    print(`MESSAGE binary ${Buffer.from(data).toString("base64")}`);
  }
});
socket.on("error", (err) => print(`ERROR ${err && err.message}`));
socket.on("close", (reason) => {
  print(`CLOSE ${reason}`);
  setTimeout(() => process.exit(0), 50);
});

createInterface({ input: process.stdin }).on("line", (line) => {
  const space = line.indexOf(" ");
  const command = space < 0 ? line : line.slice(0, space);
  const arg = space < 0 ? "" : line.slice(space + 1);
  switch (command) {
    case "text":
      socket.send(JSON.parse(arg));
      break;
    case "binary":
      socket.send(Buffer.from(arg, "base64"));
      break;
    case "burst":
      for (let i = 0; i < Number(arg); i++) socket.send(String(i));
      break;
    case "mute-pong":
      mutePong = true;
      print("MUTED");
      break;
    case "close":
      socket.close();
      break;
    default:
      print(`ERROR unknown command ${command}`);
  }
});

print("READY");
