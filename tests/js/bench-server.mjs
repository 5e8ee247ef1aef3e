// The Node side of the benchmark: socket.io (the version tests/js/package.json pins) with the same handlers as
// samples/BenchServer. Usage: node bench-server.mjs [--port N] [--redis HOST:PORT]   (port else PORT, else 4100)
// With --redis the server joins a cluster through @socket.io/redis-adapter, as BenchServer does through TypedSio.Redis.
import { createServer } from "node:http";
import { Server } from "socket.io";

function option(name) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const port = Number(option("--port") ?? process.env.PORT ?? 4100);
const redisEndPoint = option("--redis");

const options = { cors: { origin: "*" } };
if (redisEndPoint) {
  const { createAdapter } = await import("@socket.io/redis-adapter");
  const { createClient } = await import("redis");
  const pub = createClient({ url: `redis://${redisEndPoint}` });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  options.adapter = createAdapter(pub, sub);
}

const httpServer = createServer();
const io = new Server(httpServer, options);

io.on("connection", (socket) => {
  socket.on("message", (...args) => socket.emit("message-back", ...args));
  socket.on("message-with-ack", (...args) => {
    const ack = args.pop();
    ack(...args);
  });
  socket.on("join", (room) => socket.join(room));
  socket.on("broadcast", (room, payload) => io.to(room).emit("broadcast", payload));
});

httpServer.listen(port, "127.0.0.1", () => console.log(`bench-server: socket.io on http://127.0.0.1:${port}/socket.io/`));
