/**
 * One entry point for every TensorFlow.js model: read model.json and its shards, then hand the
 * model to the converter of its format (graph-model or layers-model). The convert worker and
 * the tests call this; the converters never see files, only the decoded model.
 */
import { convertGraphModel } from './graph-convert';
import { TfjsFormatUnavailableError } from './import-errors';
import { convertLayersModel } from './layers-to-onnx';
import { readTfjsModel, type TfGraphModel, type TfjsFiles, type TfLayersModel } from './tfjs-model';
import type { ConversionResult, ConvertOptions } from './types';

export interface FormatConverters {
	graph: ((model: TfGraphModel, options: ConvertOptions) => ConversionResult) | null;
	layers: ((model: TfLayersModel, options: ConvertOptions) => ConversionResult) | null;
}

/** The converters this build has; a format without one is refused with a clear message. */
export const CONVERTERS: FormatConverters = {
	graph: convertGraphModel,
	layers: convertLayersModel
};

export function convertTfjs(
	files: TfjsFiles,
	options: ConvertOptions,
	converters: FormatConverters = CONVERTERS
): ConversionResult {
	options.onProgress?.(0, 1, 'reading');
	const model = readTfjsModel(files);
	options.onProgress?.(1, 1, 'reading');
	const source = files.source ?? 'model.json';
	if (model.format === 'graph-model') {
		if (!converters.graph) throw new TfjsFormatUnavailableError(source, model.format);
		return converters.graph(model, options);
	}
	if (!converters.layers) throw new TfjsFormatUnavailableError(source, model.format);
	return converters.layers(model, options);
}
