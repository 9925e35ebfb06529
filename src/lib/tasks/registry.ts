/**
 * Every task the runtime worker can run, with its input and result types. Adding a task means
 * one line here, its pipeline in src/lib/tasks/<task>/, and one line in the worker's handler
 * table (src/lib/runtime/task-handlers.ts); the protocol and client derive the rest.
 */
import type { DigitsInput, DigitsResult } from './digits/types';
import type { OcrInput, OcrResult } from './ocr/types';
import type { EmbedInput, EmbedResult } from './embeddings/types';
import type { VadInput, VadResult, VadStreamInput, VadStreamResult } from './vad/types';
import type { SpamInput, SpamResult } from './spam/types';
import type { PoseInput, PoseResult } from './pose/types';
import type { FaceInput, FaceResult } from './face/types';
import type { ModerationInput, ModerationResult } from './moderation/types';
import type { DetectionInput, DetectionResult } from './detection/types';
import type { SegmentationInput, SegmentationResult } from './segmentation/types';

export interface TaskMap {
	digits: { input: DigitsInput; result: DigitsResult };
	ocr: { input: OcrInput; result: OcrResult };
	embed: { input: EmbedInput; result: EmbedResult };
	vad: { input: VadInput; result: VadResult };
	'vad-stream': { input: VadStreamInput; result: VadStreamResult };
	spam: { input: SpamInput; result: SpamResult };
	pose: { input: PoseInput; result: PoseResult };
	face: { input: FaceInput; result: FaceResult };
	moderation: { input: ModerationInput; result: ModerationResult };
	detection: { input: DetectionInput; result: DetectionResult };
	segmentation: { input: SegmentationInput; result: SegmentationResult };
}

export type TaskName = keyof TaskMap;
export type TaskInput<K extends TaskName> = TaskMap[K]['input'];
export type TaskResult<K extends TaskName> = TaskMap[K]['result'];

export type TaskRequest = { [K in TaskName]: { name: K; input: TaskInput<K> } }[TaskName];
