// Decodes captured Redis adapter messages as Node does (notepack.io for msgpack, JSON.parse for JSON) and prints each
// as JSON with Buffers as {"$bin": base64}. Reads "CAPTURE <name> <channel> <hex>" lines on stdin; prints
// "EXPECT <name> <json>" for each. Also used by the tests to decode what the .NET side encodes.
import readline from "node:readline";
import msgpack from "notepack.io";

const show = (value) => JSON.stringify(value, function (key, v) {
  const raw = this[key];
  if (Buffer.isBuffer(raw)) return { $bin: raw.toString("base64") };
  return v;
});
const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const [tag, name, , hex] = line.split(" ");
  if (tag !== "CAPTURE") continue;
  const buffer = Buffer.from(hex, "hex");
  const value = buffer[0] === 0x7b ? JSON.parse(buffer.toString()) : msgpack.decode(buffer);
  console.log(`EXPECT ${name} ${show(value)}`);
}
