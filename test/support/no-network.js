// Preloaded into the synth process by the hermeticity test: any TCP connection or DNS lookup throws.
// Local pipes (IPC between tsx and its child) stay allowed.
const net = require('net');
const dns = require('dns');
const original = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const opts = typeof args[0] === 'object' && args[0] !== null && !Array.isArray(args[0]) ? args[0] : {};
  const isPipe = typeof args[0] === 'string' || typeof opts.path === 'string' || (Array.isArray(args[0]) && typeof args[0][0]?.path === 'string');
  if (!isPipe) throw new Error(`network access during synth: ${JSON.stringify(args[0])}`);
  return original.apply(this, args);
};
for (const fn of ['lookup', 'resolve', 'resolve4', 'resolve6']) {
  dns[fn] = () => {
    throw new Error(`DNS lookup during synth (${fn})`);
  };
}
