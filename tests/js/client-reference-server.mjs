// The official engine.io server for the .NET client's interop tests.
// Usage: node client-reference-server.mjs <port> [json options]
//   options: engine.io ServerOptions (transports, pingInterval, pingTimeout, allowEIO3, maxHttpBufferSize, path, ...)
//            plus "refuse": a message; when set, allowRequest refuses every handshake with it;
//            and "greet": a message the server sends as soon as a session opens.
// Prints READY when listening, then one line per event: CONNECTION <sid> <transport>, UPGRADE <sid> <transport>,
// MESSAGE <sid> text|binary <length>, CLOSE <sid> <reason>, POLL <sid> (a long-polling GET is pending).
// Stdin commands: "restart" replaces the engine with a fresh one that knows no session (as after a server restart
// behind the same address), then prints RESTARTED; "close-all" closes every session from the server side.
import http from "node:http";
import readline from "node:readline";
import { Server } from "engine.io";

const port = Number(process.argv[2]);
const options = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const { refuse, greet, ...engineOptions } = options;
const path = engineOptions.path ?? "/engine.io/";
if (refuse !== undefined) {
  engineOptions.allowRequest = (req, callback) => callback(refuse, false);
}

function createEngine() {
  const engine = new Server({ ...engineOptions, path });
  engine.on("connection", (socket) => {
    console.log(`CONNECTION ${socket.id} ${socket.transport.name}`);
    socket.on("upgrade", (transport) => console.log(`UPGRADE ${socket.id} ${transport.name}`));
    socket.on("message", (data) => {
      const binary = typeof data !== "string";
      console.log(`MESSAGE ${socket.id} ${binary ? "binary" : "text"} ${data.length}`);
      socket.send(data);
    });
    socket.on("close", (reason) => console.log(`CLOSE ${socket.id} ${reason}`));
    if (greet !== undefined) {
      socket.send(greet);
    }
  });
  return engine;
}

let engine = createEngine();
const server = http.createServer((req, res) => {
  if (req.url.startsWith(path)) {
    engine.handleRequest(req, res);
    // Printed once the engine holds the request, so a test can act while a poll is pending.
    const sid = new URL(req.url, "http://localhost").searchParams.get("sid");
    if (req.method === "GET" && sid) {
      console.log(`POLL ${sid}`);
    }
  } else {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end(`Cannot ${req.method} ${req.url}`);
  }
});
server.on("upgrade", (req, socket, head) => {
  if (req.url.startsWith(path)) {
    engine.handleUpgrade(req, socket, head);
  } else {
    socket.destroy();
  }
});

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() === "restart") {
    // The old engine is left running unreachable: its sessions stay open on the old side, unknown to the new one.
    engine = createEngine();
    console.log("RESTARTED");
  } else if (line.trim() === "close-all") {
    for (const socket of Object.values(engine.clients)) {
      socket.close();
    }
  }
});

server.listen(port, "127.0.0.1", () => console.log("READY"));
