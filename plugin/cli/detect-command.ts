import type { Command } from 'commander';

/** `vigil detect`: runs a model over still images and prints what it found, boxes in each image's pixels. */
export function registerDetectCommand(program: Command): void {
  program
    .command('detect')
    .description('run an ONNX detector over still images (JPEG, PNG) and print the detections')
    .requiredOption('--model <file>', 'ONNX model file')
    .option('--decoder <type>', 'built-in model preset: nanodet | yolov8')
    .option('--manifest <file>', 'model manifest (JSON or YAML): input, normalisation, classes, thresholds, decoder')
    .option('--classes <file>', 'class names file, one label a line')
    .option('--threshold <score>', 'default minimum score, 0..1')
    .option('--workers <n>', 'inference worker threads (default: one per image, at most the cores)')
    .option('--threads <n>', 'ORT intra-op threads per worker (default 1)')
    .option('--json', 'print one JSON object keyed by image file name')
    .argument('<images...>', 'image files')
    .action(async (images: string[], options: Record<string, unknown>) => {
      const { detectImages, printText } = await import('./detect-images.js');
      const result = await detectImages(images, options);
      if (options['json'] === true) process.stdout.write(`${JSON.stringify(result)}\n`);
      else printText(result);
    });
}
