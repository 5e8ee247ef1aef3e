// The official socket.io server for the .NET client's Socket.IO tests (manager and socket).
// Usage: node client-socket-server.mjs <port> [json options]
//   options: socket.io ServerOptions (transports, pingInterval, pingTimeout, connectionStateRecovery, ...).
// Namespaces: "/", "/custom", "/chat" accept everyone; "/admin" accepts only auth {token:"secret"} and otherwise refuses
// with Error("not authorized") and data {content:"Please retry later"}. Any other namespace is unknown.
// Prints READY when listening, then CONNECTED <nsp> <id> <recovered> <engine id> <auth json>, EVENT <nsp> <name> <args json>,
// DISCONNECTED <nsp> <id> <reason>.
// Events every namespace handles (the first four as the official conformance server does):
//   connect                   → emit "auth" with the handshake's auth
//   message ...args           → emit "message-back" ...args
//   message-with-ack ...args  → ack ...args
//   ask ...args               → emit "question" ...args with an ack (5 s); emit "answer" with the reply, or "answer-error"
//   flaky key                 → ack ("ok", count) only from the third time the same key arrives
//   silent                    → never acks
//   handshake                 → ack {query, headers} of the handshake
//   disconnect-me             → socket.disconnect() (reason "io server disconnect" on the client)
//   close-transport           → close the Engine.IO connection, then broadcast "missed" "after-close" to the namespace
// Stdin commands (each answered by a line): "down" (close every connection, reset new requests) → DOWN;
// "up" (a fresh server behind the same port, knowing no session) → UP; "forget" (a fresh server, old connections left
// open but unreachable, as after a restart behind a load balancer) → FORGOTTEN.
import http from "node:http";
import readline from "node:readline";
import { Server as Engine } from "engine.io";
import { Server } from "socket.io";

const port = Number(process.argv[2]);
const options = process.argv[3] ? JSON.parse(process.argv[3]) : {};
const path = "/socket.io/";

function argsJson(args) {
  return JSON.stringify(args, (key, value) =>
    value && value.type === "Buffer" && Array.isArray(value.data) ? { binary: value.data } : value);
}

function setup(nsp) {
  nsp.on("connection", (socket) => {
    console.log(`CONNECTED ${nsp.name} ${socket.id} ${socket.recovered} ${socket.conn.id} ${JSON.stringify(socket.handshake.auth)}`);
    socket.emit("auth", socket.handshake.auth);
    const seen = new Map();
    socket.onAny((event, ...args) => {
      const plain = typeof args[args.length - 1] === "function" ? args.slice(0, -1) : args;
      console.log(`EVENT ${nsp.name} ${event} ${argsJson(plain)}`);
    });
    socket.on("message", (...args) => socket.emit("message-back", ...args));
    socket.on("message-with-ack", (...args) => {
      const ack = args.pop();
      ack(...args);
    });
    socket.on("ask", (...args) => {
      socket.timeout(5000).emit("question", ...args, (err, ...answer) => {
        if (err) {
          socket.emit("answer-error", err.message);
        } else {
          socket.emit("answer", ...answer);
        }
      });
    });
    socket.on("flaky", (key, ack) => {
      const count = (seen.get(key) ?? 0) + 1;
      seen.set(key, count);
      if (count >= 3) {
        ack("ok", count);
      }
    });
    socket.on("silent", () => {});
    socket.on("handshake", (ack) => ack({ query: socket.handshake.query, headers: socket.handshake.headers }));
    socket.on("disconnect-me", () => socket.disconnect());
    socket.on("close-transport", () => {
      socket.conn.close();
      setImmediate(() => nsp.emit("missed", "after-close"));
    });
    socket.on("disconnect", (reason) => console.log(`DISCONNECTED ${nsp.name} ${socket.id} ${reason}`));
  });
}

function create() {
  const engine = new Engine({ path, ...options });
  const io = new Server(options);
  io.bind(engine);
  for (const name of ["/", "/custom", "/chat", "/admin"]) {
    setup(io.of(name));
  }

  io.of("/admin").use((socket, next) => {
    if (socket.handshake.auth?.token === "secret") {
      next();
    } else {
      const err = new Error("not authorized");
      err.data = { content: "Please retry later" };
      next(err);
    }
  });
  return { engine, io };
}

let current = create();
let down = false;
const server = http.createServer((req, res) => {
  if (down) {
    req.socket.destroy();
  } else if (req.url.startsWith(path)) {
    current.engine.handleRequest(req, res);
  } else {
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end(`Cannot ${req.method} ${req.url}`);
  }
});
server.on("upgrade", (req, socket, head) => {
  if (!down && req.url.startsWith(path)) {
    current.engine.handleUpgrade(req, socket, head);
  } else {
    socket.destroy();
  }
});

readline.createInterface({ input: process.stdin }).on("line", (line) => {
  switch (line.trim()) {
    case "down":
      down = true;
      current.engine.close();
      console.log("DOWN");
      break;
    case "up":
      current = create();
      down = false;
      console.log("UP");
      break;
    case "forget":
      current = create();
      console.log("FORGOTTEN");
      break;
  }
});

server.listen(port, "127.0.0.1", () => console.log("READY"));
