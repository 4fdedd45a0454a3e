"""Trains Vigil's default retail detector on the synthetic scenes and exports ONNX in the YOLOv8 layout.

Usage: /usr/bin/python3 models/training/train_detector.py <dataset-dir> <out.onnx> [--minutes 23] [--threads 1]
    [--batch 16] [--split-hands] [--ffmpeg node_modules/@ffmpeg-installer/linux-x64/ffmpeg --h264-share 0.5]
The dataset comes from `vigil scenes render-dataset` (see README.md). One CPU thread by default.

Model: a small anchor-free detector with three scales (strides 8, 16, 32), a light FPN and one head a level
predicting, at every grid point, distances to the box's four sides (in strides) and per-class scores. With
--split-hands stride 8 has two outputs from the same head: one for hands only, one for everything else small, so a
hand and the product it holds (the same centre, the same few pixels) do not compete for one grid point. The ONNX graph decodes them
itself, so the output is [1, 4 + classes, points]: cx, cy, w, h in input pixels, then sigmoid class scores — what
plugin/inference/decoders/yolov8.ts reads.

With --ffmpeg, half the training samples are the frames after the camera's H.264 round trip (the simulated camera's
x264 settings, decoded back to rgb24 as the plugin's capture does), the picture the video pipeline analyses.
"""
import argparse
import json
import math
import os
import subprocess
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(0)
np.random.seed(0)

IN_W, IN_H = 320, 256
SRC_W, SRC_H = 320, 240
PAD_Y = (IN_H - SRC_H) // 2  # the plugin's letterbox centres the frame: 8 rows of grey 114 above and below
STRIDES = (8, 16, 32)
HAND = 1  # class id of `hand` in TRUTH_CLASSES
# The outputs, in the order the exported graph concatenates them: (stride, which boxes it is trained on).
# --split-hands gives stride 8 two outputs (hands; the other small boxes); configure() sets these before anything uses them.
BASE_OUTPUTS = ((8, "all"), (16, "all"), (32, "all"))
OUTPUTS = BASE_OUTPUTS
SPLIT_OUTPUTS = ((8, "hand"), (8, "other"), (16, "all"), (32, "all"))


def load_split(path):
    with open(os.path.join(path, "labels.json")) as f:
        meta = json.load(f)
    frames = meta["frames"]
    raw = np.fromfile(os.path.join(path, "images.rgb"), dtype=np.uint8)
    images = raw.reshape(len(frames), SRC_H, SRC_W, 3)
    boxes = [np.array(fr["boxes"], dtype=np.float32).reshape(-1, 5) for fr in frames]
    return images, boxes, meta["classes"]


def conv(cin, cout, stride=1, k=3):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, k // 2, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class Block(nn.Module):
    """Depthwise-separable residual block."""

    def __init__(self, c):
        super().__init__()
        self.dw = nn.Sequential(nn.Conv2d(c, c, 3, 1, 1, groups=c, bias=False), nn.BatchNorm2d(c), nn.ReLU(inplace=True))
        self.pw = nn.Sequential(nn.Conv2d(c, c, 1, bias=False), nn.BatchNorm2d(c))

    def forward(self, x):
        return F.relu(x + self.pw(self.dw(x)))


class Detector(nn.Module):
    def __init__(self, nc, w=(16, 32, 48, 80, 112)):
        super().__init__()
        self.nc = nc
        self.stem = nn.Sequential(conv(3, w[0], 2), conv(w[0], w[1], 2), Block(w[1]))  # /4
        self.c3 = nn.Sequential(conv(w[1], w[2], 2), Block(w[2]), Block(w[2]))  # /8
        self.c4 = nn.Sequential(conv(w[2], w[3], 2), Block(w[3]), Block(w[3]))  # /16
        self.c5 = nn.Sequential(conv(w[3], w[4], 2), Block(w[4]))  # /32
        f = 48
        self.l3, self.l4, self.l5 = conv(w[2], f, k=1), conv(w[3], f, k=1), conv(w[4], f, k=1)
        self.towers = nn.ModuleList([nn.Sequential(conv(f, f), conv(f, f)) for _ in STRIDES])
        # Stride 8 has two 1x1 outputs on its tower: hands, and the other small boxes (a held product).
        self.outs = nn.ModuleList([nn.Conv2d(f, 4 + nc, 1) for _ in OUTPUTS])
        for o in self.outs:
            nn.init.constant_(o.bias[4:], -4.0)  # start with rare positives (focal-loss prior)
            nn.init.constant_(o.bias[:4], 0.5)

    def levels(self, x):
        p3 = self.c3(self.stem(x))
        p4 = self.c4(p3)
        p5 = self.c5(p4)
        f5 = self.l5(p5)
        f4 = self.l4(p4) + F.interpolate(f5, scale_factor=2.0, mode="nearest")
        f3 = self.l3(p3) + F.interpolate(f4, scale_factor=2.0, mode="nearest")
        t3, t4, t5 = (t(f) for t, f in zip(self.towers, (f3, f4, f5)))
        if len(self.outs) == 4:
            return [self.outs[0](t3), self.outs[1](t3), self.outs[2](t4), self.outs[3](t5)]
        return [self.outs[0](t3), self.outs[1](t4), self.outs[2](t5)]


def grid(h, w, stride):
    ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
    return torch.stack([(xs.reshape(-1) + 0.5) * stride, (ys.reshape(-1) + 0.5) * stride], 1).float()


def configure(split_hands):
    global OUTPUTS, POINTS, POINT_STRIDE, POINT_OUTPUT, SPLIT
    SPLIT = split_hands
    OUTPUTS = SPLIT_OUTPUTS if split_hands else BASE_OUTPUTS
    POINTS = torch.cat([grid(IN_H // s, IN_W // s, s) for s, _ in OUTPUTS])
    POINT_STRIDE = torch.cat([torch.full(((IN_H // s) * (IN_W // s),), float(s)) for s, _ in OUTPUTS])
    POINT_OUTPUT = torch.cat([torch.full(((IN_H // s) * (IN_W // s),), k) for k, (s, _) in enumerate(OUTPUTS)])


configure(False)


def flatten(outs):
    """[B, points, 4 + nc]: ltrb distances (softplus, strides) then class logits."""
    return torch.cat([o.flatten(2).transpose(1, 2) for o in outs], 1)


def decode_boxes(raw):
    d = F.softplus(raw[..., :4]) * POINT_STRIDE[None, :, None]
    x1 = POINTS[None, :, 0] - d[..., 0]
    y1 = POINTS[None, :, 1] - d[..., 1]
    x2 = POINTS[None, :, 0] + d[..., 2]
    y2 = POINTS[None, :, 1] + d[..., 3]
    return torch.stack([x1, y1, x2, y2], -1)


class Exported(nn.Module):
    """The graph that ships: image in (RGB, 0..1), [1, 4 + nc, points] out."""

    def __init__(self, det):
        super().__init__()
        self.det = det

    def forward(self, x):
        raw = flatten(self.det.levels(x))
        b = decode_boxes(raw)
        cxcywh = torch.stack([(b[..., 0] + b[..., 2]) / 2, (b[..., 1] + b[..., 3]) / 2, b[..., 2] - b[..., 0], b[..., 3] - b[..., 1]], -1)
        return torch.cat([cxcywh, torch.sigmoid(raw[..., 4:])], -1).transpose(1, 2)


def level_of(side):
    return 0 if side < 28 else (1 if side < 72 else 2)


def output_of(cls, side):
    """Which output a box is trained on: stride 8 splits hands from the rest."""
    lv = level_of(side)
    if not SPLIT:
        return lv
    if lv == 0:
        return 0 if int(cls) == HAND else 1
    return lv + 1


def assign(gt, nc):
    """Per point: class target (one-hot) and box target. Points near a box's centre on its output are positives;
    a point claimed by two boxes goes to the smaller one. With --split-hands boxes go largest first, so a small box
    always gets its points (in label order, a product whose points a later, smaller hand took is left with none)."""
    n = POINTS.shape[0]
    cls_t = torch.zeros(n, nc)
    box_t = torch.zeros(n, 4)
    best_area = torch.full((n,), float("inf"))
    rows = sorted(gt.tolist(), key=lambda r: -(r[3] - r[1]) * (r[4] - r[2])) if SPLIT else gt.tolist()
    for c, x1, y1, x2, y2 in rows:
        side = max(x2 - x1, y2 - y1)
        lv = level_of(side)
        out = output_of(c, side)
        s = STRIDES[lv]
        cx, cy = (x1 + x2) / 2, (y1 + y2) / 2
        r = 1.6 * s if lv == 0 else 2.0 * s
        near = ((POINTS[:, 0] - cx).abs() <= min(r, max(s * 0.75, (x2 - x1) / 2))) & ((POINTS[:, 1] - cy).abs() <= min(r, max(s * 0.75, (y2 - y1) / 2)))
        near &= POINT_OUTPUT == out
        area = (x2 - x1) * (y2 - y1)
        take = near & (area < best_area)
        if take.sum() == 0:  # a box between grid points: the nearest point of its output
            d = ((POINTS[:, 0] - cx) ** 2 + (POINTS[:, 1] - cy) ** 2) + (POINT_OUTPUT != out) * 1e9
            take = torch.zeros(n, dtype=torch.bool)
            take[d.argmin()] = True
        best_area[take] = area
        cls_t[take] = 0
        cls_t[take, int(c)] = 1
        box_t[take] = torch.tensor([x1, y1, x2, y2])
    return cls_t, box_t


def giou_loss(p, t):
    ix1, iy1 = torch.max(p[:, 0], t[:, 0]), torch.max(p[:, 1], t[:, 1])
    ix2, iy2 = torch.min(p[:, 2], t[:, 2]), torch.min(p[:, 3], t[:, 3])
    inter = (ix2 - ix1).clamp(0) * (iy2 - iy1).clamp(0)
    ap = (p[:, 2] - p[:, 0]) * (p[:, 3] - p[:, 1])
    at = (t[:, 2] - t[:, 0]) * (t[:, 3] - t[:, 1])
    union = ap + at - inter + 1e-6
    iou = inter / union
    cx1, cy1 = torch.min(p[:, 0], t[:, 0]), torch.min(p[:, 1], t[:, 1])
    cx2, cy2 = torch.max(p[:, 2], t[:, 2]), torch.max(p[:, 3], t[:, 3])
    hull = (cx2 - cx1) * (cy2 - cy1) + 1e-6
    return (1 - iou + (hull - union) / hull), iou


def to_input(images):
    """uint8 [B, 240, 320, 3] -> float [B, 3, 256, 320], letterboxed with grey 114 as the plugin does."""
    x = torch.from_numpy(images).permute(0, 3, 1, 2).float() / 255.0
    return F.pad(x, (0, 0, PAD_Y, IN_H - SRC_H - PAD_Y), value=114 / 255.0)


def h264_round_trip(images, ffmpeg, fps=5):
    """The frames through the simulated camera's encoder (x264 ultrafast, zerolatency, baseline, yuv420p, a keyframe
    a second at 5 fps, no B-frames) and back to rgb24 through a bilinear scaler, as the plugin's capture decodes."""
    n, h, w, _ = images.shape
    g = str(fps)
    enc = subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", f"{w}x{h}",
                          "-framerate", g, "-i", "pipe:0", "-an", "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                          "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-g", g, "-keyint_min", g, "-sc_threshold", "0", "-bf", "0",
                          "-threads", "1", "-f", "h264", "pipe:1"], input=images.tobytes(), stdout=subprocess.PIPE, check=True).stdout
    dec = subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-f", "h264", "-i", "pipe:0", "-vf", f"scale={w}:{h}:flags=bilinear",
                          "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"], input=enc, stdout=subprocess.PIPE, check=True).stdout
    out = np.frombuffer(dec, dtype=np.uint8)
    if out.size != images.size:
        raise RuntimeError(f"h264 round trip gave {out.size} bytes for {images.size}")
    return out.reshape(images.shape).copy()


def augment(img, boxes):
    img = img.copy()
    b = boxes.copy()
    if np.random.rand() < 0.5:
        img = img[:, ::-1]
        b[:, [1, 3]] = SRC_W - b[:, [3, 1]]
    if np.random.rand() < 0.5:
        img = img[::-1]
        b[:, [2, 4]] = SRC_H - b[:, [4, 2]]
    gain = np.random.uniform(0.7, 1.3)
    img = np.clip(img.astype(np.float32) * gain + np.random.uniform(-20, 20, size=3), 0, 255).astype(np.uint8)
    return np.ascontiguousarray(img), b


def batch_targets(boxes_list, nc):
    cls, box = zip(*[assign(torch.from_numpy(b[:, :]).clone().add_(torch.tensor([0, 0, PAD_Y, 0, PAD_Y])), nc) for b in boxes_list])
    return torch.stack(cls), torch.stack(box)


def loss_fn(raw, cls_t, box_t):
    logits = raw[..., 4:]
    pos = cls_t.sum(-1) > 0
    npos = max(1.0, float(pos.sum()))
    p = torch.sigmoid(logits)
    ce = F.binary_cross_entropy_with_logits(logits, cls_t, reduction="none")
    pt = p * cls_t + (1 - p) * (1 - cls_t)
    alpha = 0.25 * cls_t + 0.75 * (1 - cls_t)
    focal = (alpha * (1 - pt) ** 2 * ce).sum() / npos
    if pos.sum() == 0:
        return focal, focal.detach(), torch.zeros(())
    pred = decode_boxes(raw)[pos]
    g, _ = giou_loss(pred, box_t[pos])
    return focal + 2.0 * g.mean(), focal.detach(), g.mean().detach()


def nms(boxes, scores, iou):
    order = scores.argsort(descending=True)
    keep = []
    while order.numel() > 0:
        i = order[0]
        keep.append(int(i))
        if order.numel() == 1:
            break
        rest = order[1:]
        xx1 = torch.max(boxes[i, 0], boxes[rest, 0])
        yy1 = torch.max(boxes[i, 1], boxes[rest, 1])
        xx2 = torch.min(boxes[i, 2], boxes[rest, 2])
        yy2 = torch.min(boxes[i, 3], boxes[rest, 3])
        inter = (xx2 - xx1).clamp(0) * (yy2 - yy1).clamp(0)
        a = (boxes[i, 2] - boxes[i, 0]) * (boxes[i, 3] - boxes[i, 1])
        b = (boxes[rest, 2] - boxes[rest, 0]) * (boxes[rest, 3] - boxes[rest, 1])
        order = rest[inter / (a + b - inter + 1e-6) <= iou]
    return keep


def iou_one(a, bs):
    ix1 = np.maximum(a[0], bs[:, 0]); iy1 = np.maximum(a[1], bs[:, 1])
    ix2 = np.minimum(a[2], bs[:, 2]); iy2 = np.minimum(a[3], bs[:, 3])
    inter = np.clip(ix2 - ix1, 0, None) * np.clip(iy2 - iy1, 0, None)
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (bs[:, 2] - bs[:, 0]) * (bs[:, 3] - bs[:, 1]) - inter + 1e-9)


def average_precision(dets, gts, nc, thr=0.5):
    """VOC-style all-point AP per class. dets: per image list of (cls, score, box); gts: per image [cls,x1,y1,x2,y2]."""
    aps = []
    for c in range(nc):
        scored = []
        npos = 0
        matched = []
        for i, (d, g) in enumerate(zip(dets, gts)):
            gc = g[g[:, 0] == c][:, 1:]
            npos += len(gc)
            matched.append(np.zeros(len(gc), dtype=bool))
            for cls, score, box in d:
                if cls == c:
                    scored.append((score, i, box))
        scored.sort(key=lambda s: -s[0])
        tp = np.zeros(len(scored)); fp = np.zeros(len(scored))
        for k, (_, i, box) in enumerate(scored):
            gc = gts[i][gts[i][:, 0] == c][:, 1:]
            if len(gc) == 0:
                fp[k] = 1
                continue
            ious = iou_one(np.array(box), gc)
            j = int(ious.argmax())
            if ious[j] >= thr and not matched[i][j]:
                tp[k] = 1; matched[i][j] = True
            else:
                fp[k] = 1
        if npos == 0:
            aps.append(float("nan")); continue
        rec = np.cumsum(tp) / npos
        prec = np.cumsum(tp) / np.maximum(np.cumsum(tp) + np.cumsum(fp), 1e-9)
        mrec = np.concatenate([[0], rec, [1]]); mpre = np.concatenate([[0], prec, [0]])
        for k in range(len(mpre) - 2, -1, -1):
            mpre[k] = max(mpre[k], mpre[k + 1])
        idx = np.where(mrec[1:] != mrec[:-1])[0]
        aps.append(float(np.sum((mrec[idx + 1] - mrec[idx]) * mpre[idx + 1])))
    return aps


def evaluate(model, images, boxes, nc, score=0.05):
    exp = Exported(model).eval()
    dets = []
    with torch.no_grad():
        for k in range(0, len(images), 16):
            out = exp(to_input(images[k:k + 16])).transpose(1, 2)
            for o in out:
                b = torch.stack([o[:, 0] - o[:, 2] / 2, o[:, 1] - o[:, 3] / 2 - PAD_Y, o[:, 0] + o[:, 2] / 2, o[:, 1] + o[:, 3] / 2 - PAD_Y], 1)
                s, c = o[:, 4:].max(1)
                d = []
                for cls in range(nc):
                    m = (c == cls) & (s >= score)
                    if m.sum() == 0:
                        continue
                    bb, ss = b[m], s[m]
                    for i in nms(bb, ss, 0.5)[:100]:
                        d.append((cls, float(ss[i]), bb[i].tolist()))
                dets.append(d)
    return average_precision(dets, boxes, nc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("out")
    ap.add_argument("--minutes", type=float, default=20.0)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--split-hands", action="store_true", help="stride 8 gets a hands-only output; boxes assigned largest first")
    ap.add_argument("--ffmpeg", default=None, help="ffmpeg binary: train half the samples on H.264 round trips")
    ap.add_argument("--h264-share", type=float, default=0.5)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    configure(args.split_hands)
    images, boxes, classes = load_split(os.path.join(args.dataset, "train"))
    val_images, val_boxes, _ = load_split(os.path.join(args.dataset, "val"))
    assert classes[HAND] == "hand", classes
    nc = len(classes)
    coded = None
    if args.ffmpeg is not None:
        t0 = time.time()
        coded = h264_round_trip(images, args.ffmpeg)
        print(f"H.264 round trip of {len(images)} training frames in {time.time() - t0:.0f}s", flush=True)
    model = Detector(nc)
    print(f"{sum(p.numel() for p in model.parameters())} parameters, {len(images)} training frames, classes {classes}", flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    budget = args.minutes * 60
    start = time.time()
    step = 0
    while time.time() - start < budget:
        for idx in np.array_split(np.random.permutation(len(images)), len(images) // args.batch):
            elapsed = time.time() - start
            if elapsed >= budget:
                break
            lr = 3e-3 * (0.02 + 0.98 * 0.5 * (1 + math.cos(math.pi * min(1.0, elapsed / budget))))
            for g in opt.param_groups:
                g["lr"] = lr if step > 50 else lr * step / 50
            pairs = [augment(coded[i] if coded is not None and np.random.rand() < args.h264_share else images[i], boxes[i]) for i in idx]
            x = to_input(np.stack([p[0] for p in pairs]))
            cls_t, box_t = batch_targets([p[1] for p in pairs], nc)
            model.train()
            loss, lc, lb = loss_fn(flatten(model.levels(x)), cls_t, box_t)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % 25 == 0:
                print(f"step {step} t={elapsed:.0f}s lr={lr:.5f} loss={float(loss):.3f} cls={float(lc):.3f} giou={float(lb):.3f}", flush=True)
            step += 1
    train_seconds = time.time() - start
    model.eval()
    aps = evaluate(model, val_images, val_boxes, nc)
    metrics = {"train_seconds": round(train_seconds), "steps": step, "batch": args.batch, "threads": args.threads, "split_hands": args.split_hands,
               "training_frames": len(images), "h264_share": args.h264_share if coded is not None else 0,
               "held_out_frames": len(val_images), "map50": {c: round(a, 3) for c, a in zip(classes, aps)}}
    if args.ffmpeg is not None:
        coded_aps = evaluate(model, h264_round_trip(val_images, args.ffmpeg), val_boxes, nc)
        metrics["map50_h264"] = {c: round(a, 3) for c, a in zip(classes, coded_aps)}
    print(json.dumps(metrics), flush=True)
    torch.onnx.export(Exported(model), torch.zeros(1, 3, IN_H, IN_W), args.out, input_names=["images"], output_names=["output0"], opset_version=12)
    with open(args.out + ".metrics.json", "w") as f:
        json.dump(metrics, f, indent=2)
    torch.save(model.state_dict(), args.out + ".pt")


if __name__ == "__main__":
    main()
