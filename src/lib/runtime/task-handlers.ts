/**
 * The worker's table of task pipelines. Each entry is typed by the task registry, so a pipeline
 * with the wrong input or result type does not compile.
 */
import { classifyDigit } from '$lib/tasks/digits/pipeline';
import { recognizeText } from '$lib/tasks/ocr/pipeline';
import { embedTexts } from '$lib/tasks/embeddings/pipeline';
import { detectVoiceActivity } from '$lib/tasks/vad/pipeline';
import { runVadStream } from '$lib/tasks/vad/stream';
import { classifyTexts } from '$lib/tasks/spam/pipeline';
import { estimatePose } from '$lib/tasks/pose/pipeline';
import { detectFaces } from '$lib/tasks/face/pipeline';
import { moderateImage } from '$lib/tasks/moderation/pipeline';
import { detectObjects } from '$lib/tasks/detection/pipeline';
import { segmentPeople } from '$lib/tasks/segmentation/pipeline';
import type { TaskInput, TaskName, TaskResult } from '$lib/tasks/registry';
import type { TaskContext, TaskRun } from '$lib/tasks/types';
import type { TaskCommand } from './protocol';
import { startTaskRecord } from './metrics';
import { installedFiles, WorkerTaskContext } from './task-context';

type Pipeline<K extends TaskName> = (
	input: TaskInput<K>,
	ctx: TaskContext
) => Promise<TaskResult<K>>;

const PIPELINES: { [K in TaskName]: Pipeline<K> } = {
	digits: classifyDigit,
	ocr: recognizeText,
	embed: embedTexts,
	vad: detectVoiceActivity,
	'vad-stream': runVadStream,
	spam: classifyTexts,
	pose: estimatePose,
	face: detectFaces,
	moderation: moderateImage,
	detection: detectObjects,
	segmentation: segmentPeople
};

function pipelineFor<K extends TaskName>(name: K): Pipeline<K> {
	return PIPELINES[name];
}

export async function runTask(command: TaskCommand): Promise<TaskRun<TaskResult<TaskName>>> {
	const recording = startTaskRecord(command);
	let ctx: WorkerTaskContext | null = null;
	try {
		const files = await installedFiles(command.installKey);
		ctx = new WorkerTaskContext(command.installKey, files, command.backend);
		const { name, input } = command.task;
		const result = await pipelineFor(name)(input as TaskInput<typeof name>, ctx);
		recording?.finish(ctx, null);
		return {
			result,
			timings: ctx.timings,
			backend: ctx.backend,
			threads: ctx.threads,
			notes: [...ctx.notes]
		};
	} catch (error) {
		recording?.finish(ctx, error);
		throw error;
	}
}
