import { errorCode, errorMessage } from '$lib/errors';
import { getRuntime } from '$lib/runtime';
import {
	deleteAllInstalls,
	deleteInstall,
	downloadVariant,
	getStorageInfo,
	installKeyOf,
	listInstalls,
	requestPersistentStorage,
	type DownloadProgress,
	type StorageInfo
} from '$lib/store';
import { totalBytes, type ModelManifest } from './manifest';
import { checkUserDownload } from './user-download';

export type VariantStatus =
	| { kind: 'absent' }
	| { kind: 'downloading'; progress: DownloadProgress | null }
	/** Stopped with bytes kept: paused by the user, a lost connection, or a page reload. */
	| { kind: 'paused'; storedBytes: number; totalBytes: number; reason: string | null }
	| { kind: 'ready'; completedAt: number; storedBytes: number }
	| { kind: 'error'; code: string; message: string };

interface ActiveDownload {
	controller: AbortController;
	/** What the user asked for when aborting; the download itself only sees "aborted". */
	intent: 'pause' | 'cancel' | null;
}

/**
 * The Models page's view of the store: a reactive status per model variant, and the actions
 * that change it. Downloads run on the page (streams and IndexedDB need no worker); inference
 * happens in the runtime worker.
 */
export class ModelLibrary {
	statuses = $state<Record<string, VariantStatus>>({});
	storage = $state<StorageInfo>({ usage: null, quota: null, persisted: null });
	storageError = $state<string | null>(null);
	/** Called after a download completes (the user models' view refreshes its hashes). */
	onDownloaded: (() => void) | null = null;
	private readonly active = new Map<string, ActiveDownload>();

	status(modelId: string, variantId: string): VariantStatus {
		return this.statuses[installKeyOf(modelId, variantId)] ?? { kind: 'absent' };
	}

	async refresh(): Promise<void> {
		try {
			const installs = await listInstalls();
			const next: Record<string, VariantStatus> = {};
			for (const { record, storedBytes } of installs) {
				const current = this.statuses[record.key];
				if (this.active.has(record.key) && current) next[record.key] = current;
				else if (record.complete) {
					next[record.key] = { kind: 'ready', completedAt: record.completedAt ?? 0, storedBytes };
				} else next[record.key] = paused(storedBytes, record.totalBytes, pausedReason(current));
			}
			// Errors are not stored (a failed download leaves nothing behind); keep showing them.
			for (const [key, status] of Object.entries(this.statuses)) {
				if (status.kind === 'error' && !next[key]) next[key] = status;
			}
			this.statuses = next;
			this.storageError = null;
		} catch (error) {
			this.storageError = errorMessage(error);
		}
		this.storage = await getStorageInfo();
	}

	async download(manifest: ModelManifest, variantId: string, baseUrl: string): Promise<void> {
		const key = installKeyOf(manifest.id, variantId);
		if (this.active.has(key)) return;
		const download: ActiveDownload = { controller: new AbortController(), intent: null };
		this.active.set(key, download);
		this.statuses[key] = { kind: 'downloading', progress: null };
		try {
			void this.askPersistence();
			const record = await downloadVariant(manifest, variantId, baseUrl, {
				signal: download.controller.signal,
				// A user's URL or repo may hold anything: its graphs are checked before it can run.
				finish: manifest.origin ? checkUserDownload(manifest, variantId) : undefined,
				onProgress: (progress) => {
					if (!download.intent) this.statuses[key] = { kind: 'downloading', progress };
				}
			});
			this.statuses[key] = {
				kind: 'ready',
				completedAt: record.completedAt ?? Date.now(),
				storedBytes: record.totalBytes
			};
			this.onDownloaded?.();
		} catch (error) {
			await this.settleFailure(key, download, error, manifest, variantId);
		} finally {
			this.active.delete(key);
			await this.refresh();
		}
	}

	private async settleFailure(
		key: string,
		download: ActiveDownload,
		error: unknown,
		manifest: ModelManifest,
		variantId: string
	): Promise<void> {
		if (download.intent === 'cancel') {
			await deleteInstall(key);
			delete this.statuses[key];
			return;
		}
		const code = errorCode(error);
		if (download.intent === 'pause' || code === 'network') {
			const variant = manifest.variants.find((candidate) => candidate.id === variantId);
			const summary = (await listInstalls()).find((install) => install.record.key === key);
			this.statuses[key] = paused(
				summary?.storedBytes ?? 0,
				variant ? totalBytes(variant) : 0,
				download.intent === 'pause' ? 'Paused' : errorMessage(error)
			);
			return;
		}
		this.statuses[key] = { kind: 'error', code, message: errorMessage(error) };
	}

	pause(modelId: string, variantId: string): void {
		this.abort(installKeyOf(modelId, variantId), 'pause');
	}

	async cancel(modelId: string, variantId: string): Promise<void> {
		const key = installKeyOf(modelId, variantId);
		if (this.active.has(key)) this.abort(key, 'cancel');
		else await this.remove(modelId, variantId);
	}

	async remove(modelId: string, variantId: string): Promise<void> {
		const key = installKeyOf(modelId, variantId);
		this.abort(key, 'cancel');
		await getRuntime().unload({ installKey: key });
		await deleteInstall(key);
		delete this.statuses[key];
		await this.refresh();
	}

	async removeAll(): Promise<void> {
		for (const key of this.active.keys()) this.abort(key, 'cancel');
		for (const key of Object.keys(this.statuses)) await getRuntime().unload({ installKey: key });
		await deleteAllInstalls();
		this.statuses = {};
		await this.refresh();
	}

	dismissError(modelId: string, variantId: string): void {
		delete this.statuses[installKeyOf(modelId, variantId)];
	}

	async askPersistence(): Promise<void> {
		await requestPersistentStorage();
		this.storage = await getStorageInfo();
	}

	private abort(key: string, intent: 'pause' | 'cancel'): void {
		const download = this.active.get(key);
		if (!download) return;
		download.intent = intent;
		download.controller.abort();
	}
}

function paused(storedBytes: number, total: number, reason: string | null): VariantStatus {
	return { kind: 'paused', storedBytes, totalBytes: total, reason };
}

function pausedReason(status: VariantStatus | undefined): string | null {
	return status?.kind === 'paused'
		? status.reason
		: 'Interrupted (the page was closed or reloaded)';
}
