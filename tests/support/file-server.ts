/**
 * A static file server for tests: serves a built site (or any folder) under a base path with the
 * headers the real deployment needs (COOP/COEP, Range, ETag), logs every request, and injects
 * the faults the store must survive: a corrupted file, a missing file, a slow file, a connection
 * cut mid-way, a server that ignores Range. Used by the store's unit tests and the e2e tests.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { securityHeaders, type SecurityConfig } from '../../src/lib/embed/security-headers.js';

export type Fault =
	| { kind: 'corrupt' }
	| { kind: 'not-found' }
	/** Serve at this rate, so a test can act mid-download. */
	| { kind: 'throttle'; bytesPerSecond: number }
	/** Drop the connection after this many body bytes, for the next `times` requests. */
	| { kind: 'cut'; afterBytes: number; times: number }
	| { kind: 'ignore-range' }
	/** Serve the file with this text appended: a new version of it, as after a deploy. */
	| { kind: 'append'; text: string };

export interface RequestLogEntry {
	method: string;
	path: string;
	range: string | null;
	status: number;
	/** First byte of the body within the file. */
	start: number;
	bytesSent: number;
	/** True when the server cut the connection on purpose. */
	cut: boolean;
}

const TYPES: Record<string, string> = {
	'.html': 'text/html; charset=utf-8',
	'.js': 'text/javascript',
	'.mjs': 'text/javascript',
	'.css': 'text/css',
	'.json': 'application/json',
	'.wasm': 'application/wasm',
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.txt': 'text/plain; charset=utf-8',
	'.onnx': 'application/octet-stream',
	'.webmanifest': 'application/manifest+json'
};

export class TestFileServer {
	readonly faults = new Map<string, Fault>();
	readonly log: RequestLogEntry[] = [];
	/** Send COOP/COEP, as the real deployment should; a test turns it off to see one thread. */
	crossOriginIsolation = true;
	/**
	 * Serve files to pages of other origins, as a model host must: CORS headers (answering
	 * preflights for Range and If-Range) and Cross-Origin-Resource-Policy: cross-origin, which a
	 * cross-origin isolated page (COEP require-corp) needs.
	 */
	cors = false;
	/**
	 * Send the site's Content-Security-Policy and framing headers (as a built site's `_headers`
	 * does), for the settings the site was built with; null for a plain folder.
	 */
	security: SecurityConfig | null = null;
	private server: Server | null = null;
	origin = '';

	constructor(
		private readonly root: string,
		readonly base = ''
	) {}

	async start(host = '127.0.0.1'): Promise<string> {
		this.server = createServer((request, response) => {
			this.handle(request, response).catch((error: unknown) => {
				if (!response.headersSent) response.writeHead(500);
				response.end(String(error));
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, host, resolve));
		const { port } = this.server.address() as AddressInfo;
		this.origin = `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`;
		return this.origin;
	}

	/** The absolute URL of a path inside the base. */
	url(path: string): string {
		return `${this.origin}${this.base}${path}`;
	}

	requestsFor(path: string): RequestLogEntry[] {
		return this.log.filter((entry) => entry.path === `${this.base}${path}`);
	}

	async close(): Promise<void> {
		this.server?.closeAllConnections();
		await new Promise((resolve) => this.server?.close(resolve));
	}

	private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
		const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
		const entry: RequestLogEntry = {
			method: request.method ?? 'GET',
			path,
			range: request.headers.range ?? null,
			status: 200,
			start: 0,
			bytesSent: 0,
			cut: false
		};
		this.log.push(entry);
		if (this.crossOriginIsolation) {
			response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
			response.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
		}
		response.setHeader('Cross-Origin-Resource-Policy', this.cors ? 'cross-origin' : 'same-origin');
		if (this.security) {
			for (const [name, value] of Object.entries(securityHeaders(path, this.security, this.base))) {
				// Isolation stays this server's switch, so a test can turn it off.
				if (name.startsWith('Cross-Origin-Opener') || name.startsWith('Cross-Origin-Embedder')) {
					continue;
				}
				response.setHeader(name, value);
			}
		}
		if (this.cors) {
			response.setHeader('Access-Control-Allow-Origin', '*');
			response.setHeader(
				'Access-Control-Expose-Headers',
				'Content-Length, Content-Range, Accept-Ranges, ETag'
			);
			if (request.method === 'OPTIONS') {
				entry.status = 204;
				response.writeHead(204, {
					'Access-Control-Allow-Methods': 'GET, HEAD',
					'Access-Control-Allow-Headers': 'Range, If-Range',
					'Access-Control-Max-Age': '600'
				});
				response.end();
				return;
			}
		}

		const relative = path.startsWith(this.base) ? path.slice(this.base.length) : null;
		const fault = relative === null ? undefined : this.faults.get(relative);
		const file =
			relative === null || fault?.kind === 'not-found' ? null : await this.resolve(relative);
		if (!file) {
			entry.status = 404;
			response.writeHead(404, { 'Content-Type': 'text/plain' });
			response.end('Not found');
			return;
		}
		let body = await readFile(file);
		if (fault?.kind === 'append') body = Buffer.concat([body, Buffer.from(fault.text)]);
		if (fault?.kind === 'corrupt') {
			body = Buffer.from(body);
			const middle = body.length >> 1;
			body[middle] = (body[middle] ?? 0) ^ 0xff;
		}
		const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
		const headers: Record<string, string> = {
			'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
			'Accept-Ranges': 'bytes',
			ETag: etag,
			'Cache-Control': 'no-cache'
		};
		const range =
			fault?.kind === 'ignore-range' ? null : parseRange(request.headers.range, body.length);
		const ifRange = request.headers['if-range'];
		if (range === 'unsatisfiable') {
			entry.status = 416;
			response.writeHead(416, { ...headers, 'Content-Range': `bytes */${body.length}` });
			response.end();
			return;
		}
		let start = 0;
		if (range && (!ifRange || ifRange === etag)) {
			start = range.start;
			entry.status = 206;
			headers['Content-Range'] = `bytes ${range.start}-${range.end}/${body.length}`;
			body = body.subarray(range.start, range.end + 1);
		}
		entry.start = start;
		headers['Content-Length'] = String(body.length);
		response.writeHead(entry.status, headers);
		if (request.method === 'HEAD') return void response.end();
		await this.send(response, body, fault, entry);
	}

	private async send(
		response: ServerResponse,
		body: Buffer,
		fault: Fault | undefined,
		entry: RequestLogEntry
	) {
		if (fault?.kind === 'cut' && fault.times > 0) {
			fault.times--;
			const part = body.subarray(0, Math.min(fault.afterBytes, body.length - 1));
			await write(response, part);
			entry.bytesSent = part.length;
			entry.cut = true;
			// Like a real dropped link: the bytes arrive, then the connection dies. (Cutting at once
			// would make Chromium error the body stream before the page could read what it received.)
			await new Promise((resolve) => setTimeout(resolve, 400));
			response.socket?.destroy();
			return;
		}
		if (fault?.kind === 'throttle') {
			const slice = Math.max(1024, Math.floor(fault.bytesPerSecond / 20));
			for (let offset = 0; offset < body.length; offset += slice) {
				if (response.destroyed) return;
				const part = body.subarray(offset, offset + slice);
				await write(response, part);
				entry.bytesSent += part.length;
				await new Promise((resolve) => setTimeout(resolve, 50));
			}
			response.end();
			return;
		}
		response.end(body);
		entry.bytesSent = body.length;
	}

	private async resolve(relative: string): Promise<string | null> {
		const clean = normalize(relative).replace(/^(\.\.[/\\])+/, '');
		const candidates = clean.endsWith('/')
			? [join(this.root, clean, 'index.html')]
			: [
					join(this.root, clean),
					join(this.root, `${clean}.html`),
					join(this.root, clean, 'index.html')
				];
		for (const candidate of candidates) {
			if (!candidate.startsWith(this.root)) continue;
			const info = await stat(candidate).catch(() => null);
			if (info?.isFile()) return candidate;
		}
		return null;
	}
}

function write(response: ServerResponse, data: Buffer): Promise<void> {
	return new Promise((resolve) => {
		if (response.write(data)) return resolve();
		const done = () => {
			response.off('drain', done);
			response.off('close', done);
			resolve();
		};
		response.on('drain', done);
		response.on('close', done); // the client went away; stop waiting to write
	});
}

function parseRange(header: string | undefined, size: number) {
	const match = header?.match(/^bytes=(\d+)-(\d*)$/);
	if (!match) return null;
	const start = Number(match[1]);
	const end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
	if (start >= size || end < start) return 'unsatisfiable' as const;
	return { start, end };
}
