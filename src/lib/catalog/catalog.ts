import { HearthError } from '$lib/errors';
import { MANIFEST_SCHEMA, type Catalog, type ModelManifest, type ModelVariant } from './manifest';

export class CatalogError extends HearthError {
	constructor(detail: string) {
		super(
			'catalog',
			`The model catalog could not be read (${detail}). Reload the page; if it persists, the site was built without its models (run npm run build).`
		);
		this.name = 'CatalogError';
	}
}

/** Checks the parts of a catalog the app relies on, so a bad build fails loudly and early. */
export function parseCatalog(value: unknown): Catalog {
	const catalog = value as Partial<Catalog> | null;
	if (!catalog || catalog.schema !== MANIFEST_SCHEMA || !Array.isArray(catalog.models)) {
		throw new CatalogError(`expected schema ${MANIFEST_SCHEMA} with a list of models`);
	}
	for (const model of catalog.models) checkManifest(model);
	return catalog as Catalog;
}

function checkManifest(model: ModelManifest): void {
	if (!model?.id || !model.name || !Array.isArray(model.variants) || model.variants.length === 0) {
		throw new CatalogError(`a model entry lacks an id, a name or variants`);
	}
	for (const variant of model.variants) checkVariant(model.id, variant);
}

function checkVariant(modelId: string, variant: ModelVariant): void {
	if (!variant.id || !Array.isArray(variant.files) || variant.files.length === 0) {
		throw new CatalogError(`${modelId} has a variant without an id or files`);
	}
	for (const file of variant.files) {
		const validPath = !!file.path && !file.path.startsWith('/') && !file.path.includes('..');
		if (!validPath || !Number.isInteger(file.bytes) || !/^[0-9a-f]{64}$/i.test(file.sha256)) {
			throw new CatalogError(
				`${modelId}/${variant.id} lists a file without a safe path, size or SHA-256`
			);
		}
	}
}

export async function fetchCatalog(fetcher: typeof fetch, url: string): Promise<Catalog> {
	let response: Response;
	try {
		response = await fetcher(url);
	} catch (error) {
		throw new CatalogError(error instanceof Error ? error.message : String(error));
	}
	if (!response.ok) throw new CatalogError(`${url} answered ${response.status}`);
	return parseCatalog(await response.json());
}

/** The folder a catalog model's files are served from. */
export function catalogModelBaseUrl(modelsRoot: string, model: ModelManifest): string {
	return model.baseUrl ?? new URL(`${encodeURIComponent(model.id)}/`, modelsRoot).href;
}
