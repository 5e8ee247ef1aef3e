// Cross-implementation vectors for the TypedSio codecs, produced and checked with the official npm parsers.
//
//   node codec-vectors.mjs generate <seed> <count>   prints JSON lines: cases encoded and decoded by the official parsers
//   node codec-vectors.mjs decode                     reads JSON lines of encodings made by TypedSio on stdin and prints
//                                                     what the official parsers decode them to, one line per input line
//
// Binary values travel as {"$bin": "<base64>"} in the canonical form both sides compare.
import { createRequire } from "node:module";
import readline from "node:readline";

const require = createRequire(import.meta.url);
const sio = require("socket.io-parser");
const eio = require("engine.io-parser");
const eio3 = require("engine.io-parser-v2");

// ---- deterministic randomness -------------------------------------------------------------------------------------
function mulberry32(seed) {
  return () => {
    seed |= 0; seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rnd = mulberry32(1);
const int = (n) => Math.floor(rnd() * n);
const pick = (items) => items[int(items.length)];

const TEXT_PIECES = ["a", "hello", " ", "é", "ü", "日本", "😀", "👩‍💻", "\u2028", "\u2029", "\u0000", "\u001f", "\"", "\\", "/", "\n", "\t", ",", "-", "[", "]", "{", "}", "0", "42", "_placeholder", "\u00a0", "\ufeff", "<script>", "&", "\u007f"];
const randomText = (max = 6) => Array.from({ length: int(max + 1) }, () => pick(TEXT_PIECES)).join("");
const randomBinary = () => Buffer.from(Array.from({ length: pick([0, 1, 2, 3, 16, 255, 1000]) }, () => int(256)));
const NUMBERS = [0, 1, -1, 42, 1.5, -0.25, 1e21, 1e-7, 123456789012, 2 ** 53 - 1, 0.1, 3.14159, 5e-324, 1.7976931348623157e308];

function randomValue(depth, allowBinary) {
  const kinds = depth > 3 ? ["string", "number", "bool", "null"] : ["string", "number", "bool", "null", "array", "object", "string", "number"];
  if (allowBinary) kinds.push("binary", "binary");
  switch (pick(kinds)) {
    case "string": return randomText();
    case "number": return pick(NUMBERS);
    case "bool": return rnd() < 0.5;
    case "null": return null;
    case "binary": return randomBinary();
    case "array": return Array.from({ length: int(4) }, () => randomValue(depth + 1, allowBinary));
    default: {
      const o = {};
      for (let i = int(4); i > 0; i--) o[pick(["a", "b", "key", "2", "10", "é", "_x", randomText(2)])] = randomValue(depth + 1, allowBinary);
      return o;
    }
  }
}

function randomPacket() {
  const nsp = pick(["/", "/", "/chat", "/admin-ü", "/a/b"]);
  const type = pick([0, 1, 2, 2, 2, 3, 3, 4]);
  const id = type === 2 || type === 3 ? pick([undefined, undefined, 0, 1, 42, 123456789]) : undefined;
  const binary = rnd() < 0.4;
  let data;
  switch (type) {
    case 0: data = pick([undefined, {}, { token: randomText() }, randomValue(1, false) ?? {}]); if (data !== undefined && (typeof data !== "object" || Array.isArray(data))) data = { v: data }; break;
    case 1: data = undefined; break;
    case 2: data = [pick(["message", "chat message", "é😀", randomText(3) || "x", 7]), ...Array.from({ length: int(4) }, () => randomValue(1, binary))]; break;
    case 3: data = Array.from({ length: int(4) }, () => randomValue(1, binary)); break;
    default: data = pick([{ message: "Invalid namespace" }, { message: "not authorized", data: randomValue(1, false) }, "plain " + randomText()]);
  }
  if (type === 2 && typeof data[0] === "string" && ["connect", "connect_error", "disconnect", "disconnecting", "newListener", "removeListener"].includes(data[0])) data[0] = "x";
  const packet = { type, nsp, data };
  if (id !== undefined) packet.id = id;
  return packet;
}

// ---- canonical form ------------------------------------------------------------------------------------------------
function canonicalData(value) {
  if (value === undefined) return { $undefined: true };
  if (Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return { $bin: Buffer.from(value).toString("base64") };
  if (Array.isArray(value)) return value.map(canonicalData);
  if (value !== null && typeof value === "object") {
    const o = {};
    for (const k of Object.keys(value)) o[k] = canonicalData(value[k]);
    return o;
  }
  return value;
}
function hasUndefined(value) {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.some(hasUndefined);
  if (value !== null && typeof value === "object" && !Buffer.isBuffer(value)) return Object.values(value).some(hasUndefined);
  return false;
}
function canonicalPacket(p) {
  // The decoder turns BINARY_EVENT/BINARY_ACK back into EVENT/ACK; the wire type is implied by the attachments.
  const out = { type: p.type, nsp: p.nsp };
  if (p.id !== undefined) out.id = Number.isSafeInteger(p.id) ? p.id : String(p.id);
  if (p.data !== undefined) out.data = canonicalData(p.data);
  return out;
}

// ---- Socket.IO decoding of one input (text + attachments) ---------------------------------------------------------
function sioDecode(text, attachments) {
  const decoder = new sio.Decoder();
  let decoded = null;
  decoder.on("decoded", (p) => { decoded = p; });
  try {
    decoder.add(text);
    for (const a of attachments) decoder.add(Buffer.from(a, "base64"));
  } catch (e) {
    return { verdict: "rejected", reason: e.message };
  }
  if (!decoded) return { verdict: "incomplete" };
  // The reference accepts ack ids it reads as NaN or past 2^53, and placeholders that resolve to undefined; TypedSio
  // refuses those on purpose, so they are reported apart.
  if (decoded.id !== undefined && !Number.isSafeInteger(decoded.id)) return { verdict: "unsafe-id" };
  if (decoded.data !== undefined && hasUndefined(decoded.data)) return { verdict: "undefined-placeholder" };
  return { verdict: "accepted", packet: canonicalPacket(decoded) };
}

// ---- fuzz inputs ---------------------------------------------------------------------------------------------------
const FUZZ_PIECES = ["0", "1", "2", "3", "4", "5", "6", "7", "9", "-", ",", "/", "/nsp", " ", "\u00a0", "\ufeff", "[", "]", "{", "}", "\"", "\"a\"", "\"connect\"", "\"disconnect\"", "1", "12", "0x1", "1e1", ".", "null", "true", ":", "{\"_placeholder\":true,\"num\":0}", "{\"_placeholder\":true,\"num\":1}", "{\"_placeholder\":true,\"num\":-1}", "{\"_placeholder\":true,\"num\":0.5}", "{\"_placeholder\":true}", "\\", "\\u0041", "é", "😀", "\t", "\n", "99999999999999999999", "+", "Infinity", "01"];
function fuzzText() {
  if (rnd() < 0.7) {
    // a valid packet with zero to two small mutations
    const [text] = new sio.Encoder().encode(randomPacket());
    const chars = Array.from(text);
    for (let m = int(3); m > 0; m--) {
      const at = int(chars.length + 1);
      const op = int(3);
      if (op === 0) chars.splice(at, 1);
      else if (op === 1) chars.splice(at, 0, pick(FUZZ_PIECES));
      else chars.splice(at, 1, pick(FUZZ_PIECES));
    }
    return chars.join("");
  }
  return Array.from({ length: int(8) }, () => pick(FUZZ_PIECES)).join("");
}

// ---- Engine.IO -----------------------------------------------------------------------------------------------------
const EIO_TYPES = ["open", "close", "ping", "pong", "message", "upgrade", "noop"];
function randomEnginePacket(allowBinary = true) {
  if (allowBinary && rnd() < 0.3) return { type: "message", data: randomBinary() };
  const type = pick(EIO_TYPES);
  const data = rnd() < 0.3 ? undefined : pick(["probe", randomText(8), "x".repeat(int(3000))]);
  return data === undefined ? { type } : { type, data };
}
// Empty text data and no data are the same packet on the wire.
const canonicalEngine = (p) => ({ type: p.type, data: p.data === undefined || p.data === "" ? undefined : (typeof p.data === "string" ? p.data : { $bin: Buffer.from(p.data).toString("base64") }) });
const EIO_FUZZ = ["0", "1", "2", "3", "4", "5", "6", "7", "b", "bAQ==", "b4AQ", "x", "\u001e", "\u001e\u001e", "probe", "é", "😀", ":", "1:", "2:", "10:", "0x2:", " 2:", "2.0:", "-1:", "a"];
const fuzzEngine = () => Array.from({ length: int(7) }, () => pick(EIO_FUZZ)).join("");
function fuzzEngine3() {
  if (rnd() < 0.4) return fuzzEngine();
  let text; eio3.encodePayload(Array.from({ length: int(3) + 1 }, () => randomEnginePacket(false)), false, (p) => { text = p; });
  const chars = Array.from(text);
  for (let m = int(3); m > 0; m--) chars.splice(int(chars.length + 1), int(2), pick(EIO_FUZZ));
  return chars.join("");
}

// The index (among non-empty records) of the first v3 record whose length prefix cuts a surrogate pair, or -1.
function v3SurrogateSplit(data) {
  const isHigh = (c) => c >= 0xd800 && c <= 0xdbff;
  const isLow = (c) => c >= 0xdc00 && c <= 0xdfff;
  let record = 0;
  for (let i = 0; i < data.length;) {
    const colon = data.indexOf(":", i);
    if (colon < 0) return -1;
    const n = Number(data.substring(i, colon));
    if (!Number.isInteger(n) || n < 0) return -1;
    const start = colon + 1, end = start + n;
    if (end > data.length) return -1;
    if (n > 0 && (isLow(data.charCodeAt(start)) || isHigh(data.charCodeAt(end - 1)))) return record;
    if (n > 0) record++;
    i = end;
  }
  return -1;
}

function generate(seed, count) {
  rnd = mulberry32(seed);
  const out = [];
  const encoder = new sio.Encoder();
  for (let i = 0; i < count; i++) {
    const packet = randomPacket();
    const expected = canonicalPacket({ ...packet, data: packet.data });
    const [text, ...buffers] = encoder.encode(packet);
    out.push({ kind: "sio-encode", packet: expected, text, attachments: buffers.map((b) => Buffer.from(b).toString("base64")) });
  }
  for (let i = 0; i < count; i++) {
    const text = fuzzText();
    // Binary packets mostly get the attachments they announce; sometimes one too few or too many.
    const announced = /^[56]/.test(text) ? parseInt(text.slice(1), 10) || 0 : 0;
    const count = Math.max(0, announced + (rnd() < 0.8 ? 0 : pick([-1, 1])) + (announced === 0 && rnd() < 0.1 ? 1 : 0));
    const attachments = Array.from({ length: Math.min(count, 12) }, () => randomBinary().toString("base64"));
    out.push({ kind: "sio-decode", text, attachments, expected: sioDecode(text, attachments) });
  }
  for (let i = 0; i < count / 4; i++) {
    const packets = Array.from({ length: int(4) + 1 }, () => randomEnginePacket());
    let payload; eio.encodePayload(packets, (p) => { payload = p; });
    const frames = packets.map((p) => { let s; eio.encodePacket(p, false, (e) => { s = e; }); return s; });
    out.push({ kind: "eio-encode", packets: packets.map(canonicalEngine), payload, frames });
    const v3packets = packets.map((p) => (typeof p.data === "string" || p.data === undefined ? p : { type: "message", data: p.data }));
    let v3text; eio3.encodePayload(v3packets, false, (p) => { v3text = p; });
    let v3binary; eio3.encodePayload(v3packets, true, (p) => { v3binary = Buffer.isBuffer(p) ? p.toString("base64") : null; });
    out.push({ kind: "eio3-encode", packets: v3packets.map(canonicalEngine), payload: v3text, binaryPayload: v3binary });
  }
  for (let i = 0; i < count / 2; i++) {
    const payload = fuzzEngine();
    const packets = eio.decodePayload(payload, "nodebuffer");
    const error = packets.length > 0 && packets[packets.length - 1].type === "error";
    out.push({ kind: "eio-decode", payload, packets: (error ? packets.slice(0, -1) : packets).map(canonicalEngine), error });
    const payload3 = fuzzEngine3();
    const v3 = []; let v3error = false;
    // Two inputs TypedSio refuses on purpose: a "b" packet with an unknown type (read as type undefined there), and a
    // length prefix that cuts a surrogate pair in half (read as a lone surrogate there).
    const splitAt = v3SurrogateSplit(payload3);
    eio3.decodePayload(payload3, (p) => {
      if (p.type === "error" || p.type === undefined || v3.length === splitAt) { v3error = true; return false; }
      v3.push(p);
      return true;
    });
    out.push({ kind: "eio3-decode", payload: payload3, packets: v3.map(canonicalEngine), error: v3error });
  }
  for (const line of out) process.stdout.write(JSON.stringify(line) + "\n");
}

async function decode() {
  const rl = readline.createInterface({ input: process.stdin });
  for await (const line of rl) {
    if (!line) continue;
    const input = JSON.parse(line);
    if (input.kind === "sio") {
      process.stdout.write(JSON.stringify(sioDecode(input.text, input.attachments)) + "\n");
    } else {
      const packets = eio.decodePayload(input.payload, "nodebuffer");
      process.stdout.write(JSON.stringify({ packets: packets.map(canonicalEngine) }) + "\n");
    }
  }
}

const [mode, seed, count] = process.argv.slice(2);
if (mode === "generate") generate(Number(seed), Number(count));
else if (mode === "decode") await decode();
else { console.error("usage: codec-vectors.mjs generate <seed> <count> | decode"); process.exit(2); }
