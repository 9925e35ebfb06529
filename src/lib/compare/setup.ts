/**
 * A comparison's set-up (model and variants, the first the reference) and its permalink:
 * `compare?model=ID&variants=A,B`, the format the Optimize page links with.
 */
import type { ModelManifest, ModelVariant } from '../catalog/manifest';
import {
	MAX_VARIANTS,
	MIN_VARIANTS,
	TooFewVariantsError,
	TooManyVariantsError,
	UnknownModelError,
	UnknownVariantError
} from './errors';

export interface CompareSetup {
	modelId: string;
	/** In order; the first is the reference. */
	variantIds: string[];
}

/** The set-up a query string names, or null when it names no model. */
export function parseSetup(search: string): CompareSetup | null {
	const modelId = new URLSearchParams(search).get('model')?.trim();
	if (!modelId) return null;
	// Split the raw value before decoding, so a comma escaped inside an id stays in it.
	const raw = search
		.replace(/^\?/, '')
		.split('&')
		.find((pair) => pair.startsWith('variants='));
	const listed = (raw?.slice('variants='.length) ?? '')
		.split(',')
		.map((id) => safeDecode(id.replace(/\+/g, ' ')).trim())
		.filter((id) => id.length > 0);
	return { modelId, variantIds: [...new Set(listed)] };
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text; // a stray % is part of the id as typed
	}
}

/** The query string for a set-up; commas separate variants, so ids are escaped one by one. */
export function setupSearch(setup: CompareSetup): string {
	const variants = setup.variantIds.map(encodeURIComponent).join(',');
	return `model=${encodeURIComponent(setup.modelId)}&variants=${variants}`;
}

export interface ResolvedSetup {
	model: ModelManifest;
	variants: ModelVariant[];
}

/** The model and variants a set-up names, or the error that explains what is wrong with it. */
export function resolveSetup(setup: CompareSetup, models: readonly ModelManifest[]): ResolvedSetup {
	const model = models.find((candidate) => candidate.id === setup.modelId);
	if (!model) throw new UnknownModelError(setup.modelId);
	const missing = setup.variantIds.filter((id) => !model.variants.some((v) => v.id === id));
	if (missing.length > 0) throw new UnknownVariantError(model.name, missing);
	if (setup.variantIds.length < MIN_VARIANTS)
		throw new TooFewVariantsError(setup.variantIds.length);
	if (setup.variantIds.length > MAX_VARIANTS)
		throw new TooManyVariantsError(setup.variantIds.length);
	const variants = setup.variantIds.map((id) => model.variants.find((v) => v.id === id)!);
	return { model, variants };
}
