/**
 * Rule settings the synthetic scenes' cameras need. Both scenes are filmed from straight above: a person's box is
 * their body with the arms around it, so the torso is the middle of the box, not the band below the head that
 * concealment's default (a camera at head height looking across) assumes. 0.25..0.85 of the box's height holds
 * where concealers' hands end up on the training seeds' truth (0.6..0.85 of it), and keeps the shelf-side quarter
 * where a reaching hand is.
 */
export const SCENE_CONCEALMENT = { torsoBand: { top: 0.25, bottom: 0.85 } } as const;
