// A plain broadcast server with the npm package `ws`, for comparison with
// xieshang's fan-out: it answers hello with a welcome, and relays each intent
// from the first connection as an event of the same size to every connection.
// Run by benches/fanout.rs: node node-broadcast.js PORT; with CERT KEY (PEM files)
// after the port, over TLS (wss), as benches/idle.rs compares with IDLE_TLS=1.
const { WebSocketServer } = require('ws');
const port = Number(process.argv[2] || 0);
const [cert, key] = process.argv.slice(3);
let wss;
if (cert && key) {
  const fs = require('fs');
  const server = require('https').createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) });
  wss = new WebSocketServer({ server, maxPayload: 64 * 1024 });
  server.listen(port, '127.0.0.1', () => console.log(`listening wss://127.0.0.1:${server.address().port}/ws`));
} else {
  wss = new WebSocketServer({ host: '127.0.0.1', port, maxPayload: 64 * 1024 });
  wss.on('listening', () => console.log(`listening ws://127.0.0.1:${wss.address().port}/ws`));
}
let seq = 0;
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const msg = JSON.parse(data);
    if (msg.type === 'hello') {
      ws.send(JSON.stringify({ type: 'welcome', protocol: 1, server_time_ms: Date.now(), seq, resumed: false, state: null }));
    } else if (msg.type === 'intent') {
      seq += 1;
      const frame = JSON.stringify({ type: 'event', seq, server_time_ms: Date.now(), at: new Date().toISOString(), actor: 'chair',
        event: { kind: 'question_submitted', question: `q${seq}`, asker: 'm01', department: 'eco', text: msg.action.text } });
      for (const client of wss.clients) client.send(frame);
      ws.send(JSON.stringify({ type: 'ack', id: msg.id, seq, server_time_ms: Date.now() }));
    }
  });
});
