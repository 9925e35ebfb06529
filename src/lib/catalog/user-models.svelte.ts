/**
 * The Models page's view of the models the user added, and the three ways to add one: a file
 * from this device, the URL of an .onnx file, or a repo id on a host with the Hugging Face layout.
 * Each way either ends with the model stored (or listed, for a repo) or with a clear error and
 * nothing of it kept.
 */
import { HearthError } from '$lib/errors';
import { getRuntime } from '$lib/runtime';
import {
	deleteUserModel,
	getUserModel,
	installKeyOf,
	listInstalls,
	listUserModels,
	saveUserModel
} from '$lib/store';
import {
	checkRepoId,
	discoverRepo,
	normalizeHost,
	planRepoVariants,
	type SkippedVariant
} from './hf-repo';
import type { ModelLibrary } from './library.svelte';
import type { ModelManifest } from './manifest';
import { askModelWorker } from './model-worker-client';
import { requireFile } from './remote-files';
import type { ImportResult } from './user-import';
import { RepoWithoutOnnxError } from './user-model-errors';
import { manifestForRepo, manifestForUrl, splitFileUrl } from './user-manifest';

export interface RepoAdded {
	manifest: ModelManifest;
	skipped: SkippedVariant[];
	/** The host listed the repo's files (a hub API); otherwise Hearth probed for them. */
	listed: boolean;
}

const fetcher = (input: string, init?: RequestInit) => fetch(input, init);

export class UserModels {
	/**
	 * Each as added, with the variants that are installed shown as stored (hashes, signatures).
	 * Raw, not deeply reactive: these manifests go to IndexedDB, which cannot clone proxies.
	 */
	models = $state.raw<ModelManifest[]>([]);
	loaded = $state(false);

	/** Follows the library's downloads, so a finished one shows its computed hash. */
	constructor(private readonly library: ModelLibrary) {
		library.onDownloaded = () => void this.refresh().catch(() => undefined);
	}

	async refresh(): Promise<void> {
		const [manifests, installs] = await Promise.all([listUserModels(), listInstalls()]);
		const installed = new Map(
			installs.filter(({ record }) => record.complete).map(({ record }) => [record.key, record])
		);
		this.models = manifests.map((manifest) => ({
			...manifest,
			variants: manifest.variants.map((variant) => {
				const record = installed.get(installKeyOf(manifest.id, variant.id));
				return record?.manifest.variants.find((stored) => stored.id === variant.id) ?? variant;
			})
		}));
		this.loaded = true;
	}

	async addFile(file: File): Promise<ImportResult> {
		const result = await askModelWorker('importFile', { file, fileName: file.name });
		await Promise.all([this.refresh(), this.library.refresh()]);
		return result;
	}

	/**
	 * Checks the URL answers with a file and its size, lists the model, and downloads it. When the
	 * download fails for good (not a model, damaged, gone) the model is removed again; a dropped
	 * connection keeps it paused, to resume.
	 */
	async addUrl(url: string): Promise<{ manifest: ModelManifest; alreadyAdded: boolean }> {
		const library = this.library;
		splitFileUrl(url);
		const remote = await requireFile(fetcher, url.trim());
		const manifest = manifestForUrl(url.trim(), remote.bytes);
		const existing = await getUserModel(manifest.id);
		if (existing && library.status(existing.id, 'model').kind === 'ready') {
			return { manifest: existing, alreadyAdded: true };
		}
		await saveUserModel(existing ?? manifest);
		await this.refresh();
		const variant = manifest.variants[0]!.id;
		await library.download(existing ?? manifest, variant, manifest.baseUrl!);
		const status = library.status(manifest.id, variant);
		if (status.kind === 'error') {
			await deleteUserModel(manifest.id);
			library.dismissError(manifest.id, variant);
			await this.refresh();
			throw new HearthError(status.code, status.message);
		}
		return { manifest, alreadyAdded: false };
	}

	/** Finds the repo's ONNX variants and lists the model; each variant downloads on request. */
	async addRepo(host: string, repo: string): Promise<RepoAdded> {
		const found = await discoverRepo(fetcher, host, repo);
		const plan = planRepoVariants(found.files);
		if (plan.variants.length === 0) {
			throw new RepoWithoutOnnxError(
				repo,
				plan.skipped.map((skip) => skip.reason)
			);
		}
		const manifest = manifestForRepo(
			normalizeHost(host),
			checkRepoId(repo),
			found.baseUrl,
			plan.variants
		);
		await saveUserModel(manifest);
		await this.refresh();
		return { manifest, skipped: plan.skipped, listed: found.listed };
	}

	/** Removes the model and every stored variant of it, releasing loaded sessions first. */
	async remove(id: string): Promise<void> {
		const library = this.library;
		const manifest = this.models.find((model) => model.id === id);
		for (const variant of manifest?.variants ?? []) {
			if (library.status(id, variant.id).kind === 'downloading')
				await library.cancel(id, variant.id);
			await getRuntime().unload({ installKey: installKeyOf(id, variant.id) });
		}
		await deleteUserModel(id);
		await this.refresh();
		await library.refresh();
	}
}
