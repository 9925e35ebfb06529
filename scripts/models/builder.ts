/**
 * What every catalog model builder provides. The pipeline gives each build an empty folder,
 * writes the returned manifest into it and only then moves the folder into static/models/<id>.
 */
import type { ModelManifest } from '../../src/lib/catalog/manifest';

export interface BuildContext {
	/** The empty folder to write the model's files into (paths in the manifest are relative to it). */
	outputDir: string;
	log(message: string): void;
}

export interface ModelBuilder {
	id: string;
	/** npm packages the files come from; their installed versions are part of the cache key. */
	packages: string[];
	/** The builder module's import.meta.url: it and everything it imports form the cache key. */
	moduleUrl: string;
	build(context: BuildContext): Promise<ModelManifest>;
}
