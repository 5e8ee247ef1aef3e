// The chat sample's hub written against the official socket.io server, with the same event names as the contracts in
// samples/Chat/Chat.Contracts (camelCase, and "chat message"). The typed .NET client runs against it.
// Usage: node chat-server.mjs <port>. Prints READY when listening, then EVENT <name> <args JSON> for each event.
import http from "node:http";
import { Server } from "socket.io";

const port = Number(process.argv[2]);
const httpServer = http.createServer();
const io = new Server(httpServer);
const members = new Map(); // room -> Map(socket id -> user)

io.on("connection", (socket) => {
  let user = "anonymous";
  socket.onAny((event, ...args) =>
    console.log(`EVENT ${event} ${JSON.stringify(args.filter((a) => typeof a !== "function"))}`));
  socket.on("join", (room, name, ack) => {
    user = name;
    socket.join(room);
    if (!members.has(room)) members.set(room, new Map());
    members.get(room).set(socket.id, user);
    io.to(room).emit("userJoined", room, user);
    ack({ room, members: [...members.get(room).values()].sort() });
  });
  const send = (room, text) => {
    if (socket.rooms.has(room)) io.to(room).emit("messageReceived", { room, user, text });
  };
  socket.on("sendMessage", send);
  socket.on("chat message", send);
  socket.on("shareFile", (room, name, data) => {
    if (socket.rooms.has(room)) io.to(room).emit("fileShared", { room, user, name, data });
  });
  socket.on("disconnect", () => {
    for (const [room, map] of members) {
      if (map.delete(socket.id)) io.to(room).emit("userLeft", room, user);
    }
  });
});

httpServer.listen(port, "127.0.0.1", () => console.log("READY"));
