/**
 * What converting a document to 32 bits per channel may change besides the pixels: some
 * adjustment layers, fills, blend modes and features are not available in 32-bit mode, so
 * such layers may look different after the conversion (Photoshop may also ask about them).
 * Found before converting, so the status line can say so; the conversion itself stays inside
 * the run's history suspension and goes with Undo or a failed run.
 */
import { constants } from 'photoshop';
import type { Document } from 'photoshop/dom/Document';
import type { Layer } from 'photoshop/dom/Layer';

const PLAIN_BLEND: ReadonlySet<string> = new Set([constants.BlendMode.NORMAL, constants.BlendMode.PASSTHROUGH]);
const LISTED = 3;

/** Layers other than plain pixel layers and groups, or with a blend mode other than normal, top first. */
function affectedLayers(layers: readonly Layer[]): string[] {
  const K = constants.LayerKind;
  const found: string[] = [];
  for (const layer of layers) {
    const kind = layer.kind as string;
    const blend = layer.blendMode as string;
    if (kind !== K.NORMAL && kind !== K.GROUP) found.push(`${layer.name} (${kind})`);
    else if (!PLAIN_BLEND.has(blend)) found.push(`${layer.name} (blend mode ${blend})`);
    if (layer.layers) found.push(...affectedLayers(layer.layers));
  }
  return found;
}

/** A sentence for the status line when converting `doc` to 32 bits may change how it looks, else undefined. */
export function conversionNotice(doc: Document): string | undefined {
  const found = affectedLayers(doc.layers);
  if (!found.length) return undefined;
  const named = found.slice(0, LISTED).join(', ') + (found.length > LISTED ? ` and ${found.length - LISTED} more` : '');
  return (
    `“${doc.title}” is now 32 bits per channel: ${named} may look different in 32-bit mode. ` +
    'Edit > Undo removes the conversion with the new layer.'
  );
}
