// Publishes with Node's @socket.io/redis-emitter, for the .NET Redis adapter tests.
// Usage: node redis-emitter.mjs <redis url> <json list of commands>; prints DONE once everything is published.
//   {op:"emit", nsp?, to?, except?, event, args}, {op:"join"|"leave", nsp?, to?, rooms}, {op:"disconnect", nsp?, to?, close},
//   {op:"serverSideEmit", nsp?, event, args}. Values: {"$bin": base64} is a Buffer, {"$date": iso} a Date.
import { Emitter } from "@socket.io/redis-emitter";
import { createClient } from "redis";

const client = createClient({ url: process.argv[2] });
await client.connect();
const revive = (value) => {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === "object") {
    if (typeof value.$bin === "string") return Buffer.from(value.$bin, "base64");
    if (typeof value.$date === "string") return new Date(value.$date);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
};
const root = new Emitter(client);
for (const cmd of JSON.parse(process.argv[3])) {
  const emitter = cmd.nsp ? root.of(cmd.nsp) : root;
  let op = emitter;
  if (cmd.to) op = op.to(cmd.to);
  if (cmd.except) op = op.except(cmd.except);
  switch (cmd.op) {
    case "emit": op.emit(cmd.event, ...revive(cmd.args ?? [])); break;
    case "join": op.socketsJoin(cmd.rooms); break;
    case "leave": op.socketsLeave(cmd.rooms); break;
    case "disconnect": op.disconnectSockets(cmd.close ?? false); break;
    case "serverSideEmit": emitter.serverSideEmit(cmd.event, ...revive(cmd.args ?? [])); break;
    default: throw new Error("unknown op " + cmd.op);
  }
}
await client.ping();
console.log("DONE");
await client.quit();
