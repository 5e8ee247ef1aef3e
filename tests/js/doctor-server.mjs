// The official socket.io server for the doctor's tests. Usage: node doctor-server.mjs <port> '<json config>'.
// Config: pingInterval, pingTimeout (ms), corsOrigin (string), allowEIO3 (bool). Namespace "/admin" has a middleware that
// refuses sockets without auth.token "secret", with err.data { reason, hint }. Prints READY when listening.
import http from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2]);
const config = JSON.parse(process.argv[3] ?? "{}");
const httpServer = http.createServer();
const io = new Server(httpServer, {
  pingInterval: config.pingInterval ?? 25000,
  pingTimeout: config.pingTimeout ?? 20000,
  allowEIO3: config.allowEIO3 ?? false,
  cors: config.corsOrigin ? { origin: config.corsOrigin, credentials: true } : undefined,
});
io.on("connection", (socket) => console.log(`CONNECT / ${socket.id}`));
io.of("/admin").use((socket, next) => {
  if (socket.handshake.auth?.token === "secret") {
    next();
    return;
  }
  const err = new Error("not authorized");
  err.data = { reason: "token missing", hint: "send auth.token" };
  next(err);
});
io.of("/admin").on("connection", (socket) => console.log(`CONNECT /admin ${socket.id}`));
httpServer.listen(port, "127.0.0.1", () => console.log("READY"));
