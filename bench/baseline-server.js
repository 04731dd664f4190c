// The bench's baseline: a bare Express 5 + Socket.IO 4.8 server on plain node, answering
// GET /health, nothing else. `node bench/baseline-server.js` with PORT set; logs one line when
// listening. Figures of the real server are printed as ratios to this one, from the same run.
import { createServer } from 'node:http';
import express from 'express';
import { Server } from 'socket.io';

const app = express();
app.get('/health', (_req, res) => res.json({ status: 'ok' }));
const http = createServer(app);
const io = new Server(http, { serveClient: false });
io.on('connection', () => {});
http.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
const stop = () => io.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
