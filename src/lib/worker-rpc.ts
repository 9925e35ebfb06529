/**
 * Request/reply over a dedicated worker, shared by every Hearth worker (runtime, models,
 * optimize, train, convert). Each protocol file declares a command table; the message types
 * below are derived from it, so both sides narrow on `type` and a reply's payload is typed by
 * its command. Messages are `{ id, type, payload }`; a worker may send any number of `progress`
 * messages before the one reply or `error` that settles a request.
 *
 * The client starts its worker on first use. If the worker dies, every waiting call fails with
 * the protocol's own "crashed" error (no spinner waits forever) and the next call starts a
 * fresh worker.
 */
import { reviveError, type SerializedError } from './errors';

/** Each command's request and reply payloads. */
export type CommandTable = { [command: string]: { request: unknown; reply: unknown } };

type Command<C extends CommandTable> = keyof C & string;

export type RpcRequest<C extends CommandTable> = {
	[K in Command<C>]: { id: number; type: K; payload: C[K]['request'] };
}[Command<C>];

export type RpcReply<C extends CommandTable, Progress = never> =
	| { [K in Command<C>]: { id: number; type: K; payload: C[K]['reply'] } }[Command<C>]
	| { id: number; type: 'progress'; payload: Progress }
	| { id: number; type: 'error'; payload: SerializedError };

export interface SendOptions<Progress> {
	onProgress?: (progress: Progress) => void;
	/** Buffers to hand over rather than copy; the caller loses them. */
	transfer?: Transferable[];
}

interface Pending<Progress> {
	resolve(value: unknown): void;
	reject(error: unknown): void;
	onProgress?: (progress: Progress) => void;
}

export class WorkerRpcClient<C extends CommandTable, Progress = never> {
	private worker: Worker | null = null;
	private readonly pending = new Map<number, Pending<Progress>>();
	private nextId = 1;

	constructor(
		private readonly createWorker: () => Worker,
		/** The protocol's named error for a worker that died, given why. */
		private readonly crashed: (why: string) => Error,
		/** Called when the worker is gone, so an owner can forget per-worker state. */
		private readonly onStopped?: () => void
	) {}

	/** Whether a worker is running now (commands that only read its state can skip starting one). */
	get started(): boolean {
		return this.worker !== null;
	}

	send<K extends Command<C>>(
		type: K,
		payload: C[K]['request'],
		options: SendOptions<Progress> = {}
	): Promise<C[K]['reply']> {
		const worker = this.ensureWorker();
		const id = this.nextId++;
		return new Promise<C[K]['reply']>((resolve, reject) => {
			this.pending.set(id, {
				resolve: resolve as (value: unknown) => void,
				reject,
				onProgress: options.onProgress
			});
			const request = { id, type, payload } as RpcRequest<C>;
			worker.postMessage(request, options.transfer ?? []);
		});
	}

	/** Stops the worker; waiting calls fail with the crashed error. */
	terminate(): void {
		this.fail(this.crashed('it was stopped'));
	}

	private ensureWorker(): Worker {
		if (this.worker) return this.worker;
		const worker = this.createWorker();
		worker.addEventListener('message', (event: MessageEvent<RpcReply<C, Progress>>) =>
			this.settle(event.data)
		);
		worker.addEventListener('error', (event) => {
			event.preventDefault();
			this.fail(this.crashed(event.message || 'the worker script failed'));
		});
		worker.addEventListener('messageerror', () =>
			this.fail(this.crashed('a message could not be read'))
		);
		this.worker = worker;
		return worker;
	}

	private settle(reply: RpcReply<C, Progress>): void {
		const pending = this.pending.get(reply.id);
		if (!pending) return;
		if (reply.type === 'progress') {
			pending.onProgress?.(reply.payload as Progress);
			return;
		}
		this.pending.delete(reply.id);
		if (reply.type === 'error') pending.reject(reviveError(reply.payload as SerializedError));
		else pending.resolve(reply.payload);
	}

	private fail(error: Error): void {
		this.worker?.terminate();
		this.worker = null;
		this.onStopped?.();
		for (const pending of this.pending.values()) pending.reject(error);
		this.pending.clear();
	}
}
