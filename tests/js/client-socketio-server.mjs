// The official socket.io server on its default path, for checking that the .NET Engine.IO client carries Socket.IO.
// Usage: node client-socketio-server.mjs <port>. Prints READY when listening, CONNECT <namespace> <id> per socket.
import http from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2]);
const httpServer = http.createServer();
const io = new Server(httpServer);
io.on("connection", (socket) => {
  console.log(`CONNECT / ${socket.id}`);
  socket.on("echo", (...args) => socket.emit("echo", ...args));
});
httpServer.listen(port, "127.0.0.1", () => console.log("READY"));
