import { listDerivedVariants, type DerivedVariantRecord } from '$lib/store';
import type { ModelManifest } from './manifest';

/** The models with the variants Hearth derived from them appended (pure, for any page). */
export function mergeDerivedVariants(
	models: readonly ModelManifest[],
	derived: readonly DerivedVariantRecord[]
): ModelManifest[] {
	return models.map((model) => {
		const extra = derived
			.filter((record) => record.modelId === model.id)
			.sort((a, b) => a.variant.provenance.createdAt - b.variant.provenance.createdAt)
			.map((record) => record.variant);
		if (extra.length === 0) return model;
		const own = model.variants.filter((variant) => !extra.some((e) => e.id === variant.id));
		return { ...model, variants: [...own, ...extra] };
	});
}

/** `models` with their derived variants, read from the store (in the browser only). */
export async function withDerivedVariants(
	models: readonly ModelManifest[]
): Promise<ModelManifest[]> {
	return mergeDerivedVariants(models, await listDerivedVariants());
}
