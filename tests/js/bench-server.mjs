// The Node side of the benchmark: socket.io (the version tests/js/package.json pins) with the same handlers as
// samples/BenchServer. Usage: node bench-server.mjs [--port N]   (else PORT, else 4100)
import { createServer } from "node:http";
import { Server } from "socket.io";

const flag = process.argv.indexOf("--port");
const port = Number(flag >= 0 ? process.argv[flag + 1] : process.env.PORT ?? 4100);

const httpServer = createServer();
const io = new Server(httpServer, { cors: { origin: "*" } });

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
