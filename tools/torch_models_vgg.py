"""PyTorch twins of seg4j's VGG16-based models: FCN-32s/16s/8s and the VGG16 U-Net.

Names match the Java models so state_dicts move both ways:
  * the VGG16 part is ``features.N`` (FCN) or ``vgg.features.N`` (U-Net, as bubbliiiing/unet-pytorch),
    with torchvision's indices: ``vgg16().features`` (conv/ReLU pairs) or ``vgg16_bn().features``
    (conv/BN/ReLU triples), pools after each block;
  * FCN (modern "same size" form, no pad-100 + crop): fc6 (7x7, padding 3), fc7 (1x1), score_fr,
    score_pool4, score_pool3, upscore2, upscore_pool4, upscore8/16/32, transposed convs without bias
    initialised with FCN's bilinear kernel;
  * FCN options as seed 003 (MindSpore) writes it: bn_fc (BatchNorm2d bn6/bn7 after fc6/fc7), bias=False
    (every conv bias-free, MindSpore's default), fc_dropout (0 removes drop6/drop7) and, for FCN-32s,
    up32="two-step" (upscore2 4/2 then upscore16 32/16); MindSporeFcn is the seed's code translated to
    torch.nn, for checking those options name by name;
  * U-Net: up_concat4..up_concat1 (cat([skip, up(x)]) -> conv1 -> ReLU -> conv2 -> ReLU, with
    UpsamplingBilinear2d(2), i.e. align_corners=True, or bilinear align_corners=False, or nearest as
    Keras' UpSampling2D in seed 004) and a 1x1 ``final``.

Widths scale with ``base``: block channels base*{1,2,4,8,8} (base 64 is the real VGG16); the FCN
fc width defaults to 64*base (4096 at base 64).
"""

import numpy as np
import torch
import torch.nn as nn


def vgg16_features(in_channels=3, base=64, bn=False, bias=True):
    """torchvision's vgg16().features (or vgg16_bn().features) at a scaled width."""
    cfg = [1, 1, "M", 2, 2, "M", 4, 4, 4, "M", 8, 8, 8, "M", 8, 8, 8, "M"]
    layers = []
    c = in_channels
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(kernel_size=2, stride=2))
            continue
        out = v * base
        layers.append(nn.Conv2d(c, out, kernel_size=3, padding=1, bias=bias))
        if bn:
            layers.append(nn.BatchNorm2d(out))
        layers.append(nn.ReLU(inplace=True))
        c = out
    return nn.Sequential(*layers)


def pool_indices(features):
    """Indices of the five MaxPool2d layers in a features Sequential."""
    return [i for i, m in enumerate(features) if isinstance(m, nn.MaxPool2d)]


def bilinear_kernel(in_channels, out_channels, kernel_size):
    """FCN's get_upsampling_weight: a bilinear filter on the channel diagonal."""
    factor = (kernel_size + 1) // 2
    center = factor - 1 if kernel_size % 2 == 1 else factor - 0.5
    og = np.ogrid[:kernel_size, :kernel_size]
    filt = (1 - abs(og[0] - center) / factor) * (1 - abs(og[1] - center) / factor)
    w = np.zeros((in_channels, out_channels, kernel_size, kernel_size), dtype=np.float32)
    n = min(in_channels, out_channels)
    w[range(n), range(n), :, :] = filt
    return torch.from_numpy(w)


def upscore(classes, factor):
    """ConvTranspose2d(k=2f, s=f, p=f/2, bias=False) with the bilinear kernel: side x f exactly."""
    d = nn.ConvTranspose2d(classes, classes, 2 * factor, stride=factor, padding=factor // 2, bias=False)
    with torch.no_grad():
        d.weight.copy_(bilinear_kernel(classes, classes, 2 * factor))
    return d


class Fcn(nn.Module):
    """FCN-32s, -16s or -8s (stride 32, 16 or 8) on a VGG16 backbone."""

    def __init__(self, stride, in_channels=3, classes=21, base=64, bn=False, fc_width=None,
                 bn_fc=False, bias=True, fc_dropout=0.5, up32="one-step"):
        super().__init__()
        assert stride in (8, 16, 32) and up32 in ("one-step", "two-step")
        self.stride = stride
        self.two_step = stride == 32 and up32 == "two-step"
        fc = fc_width or 64 * base
        self.features = vgg16_features(in_channels, base, bn, bias)
        self.pools = pool_indices(self.features)
        self.fc6 = nn.Conv2d(8 * base, fc, 7, padding=3, bias=bias)
        self.bn6 = nn.BatchNorm2d(fc) if bn_fc else nn.Identity()
        self.relu6 = nn.ReLU(inplace=True)
        self.drop6 = nn.Dropout2d(fc_dropout)
        self.fc7 = nn.Conv2d(fc, fc, 1, bias=bias)
        self.bn7 = nn.BatchNorm2d(fc) if bn_fc else nn.Identity()
        self.relu7 = nn.ReLU(inplace=True)
        self.drop7 = nn.Dropout2d(fc_dropout)
        self.score_fr = nn.Conv2d(fc, classes, 1, bias=bias)
        if self.two_step:
            self.upscore2 = upscore(classes, 2)
            self.upscore16 = upscore(classes, 16)
            return
        if stride == 32:
            self.upscore32 = upscore(classes, 32)
            return
        self.upscore2 = upscore(classes, 2)
        self.score_pool4 = nn.Conv2d(8 * base, classes, 1, bias=bias)
        if stride == 16:
            self.upscore16 = upscore(classes, 16)
            return
        self.upscore_pool4 = upscore(classes, 2)
        self.score_pool3 = nn.Conv2d(4 * base, classes, 1, bias=bias)
        self.upscore8 = upscore(classes, 8)

    def forward(self, x):
        p = self.pools
        pool3 = self.features[: p[2] + 1](x)
        pool4 = self.features[p[2] + 1 : p[3] + 1](pool3)
        pool5 = self.features[p[3] + 1 : p[4] + 1](pool4)
        h = self.drop6(self.relu6(self.bn6(self.fc6(pool5))))
        h = self.drop7(self.relu7(self.bn7(self.fc7(h))))
        h = self.score_fr(h)
        if self.two_step:
            return self.upscore16(self.upscore2(h))
        if self.stride == 32:
            return self.upscore32(h)
        h = self.upscore2(h) + self.score_pool4(pool4)
        if self.stride == 16:
            return self.upscore16(h)
        h = self.upscore_pool4(h) + self.score_pool3(pool3)
        return self.upscore8(h)


def _ms_conv(cin, cout, k):
    """MindSpore nn.Conv2d(cin, cout, k) with its defaults: pad_mode='same' (stride 1), has_bias=False."""
    return nn.Conv2d(cin, cout, k, padding=k // 2, bias=False)


def _ms_deconv(cin, cout, k, s=1):
    """MindSpore nn.Conv2dTranspose(cin, cout, k, s): pad_mode='same' (output = input * s), has_bias=False."""
    return nn.ConvTranspose2d(cin, cout, k, s, padding=(k - s) // 2, bias=False)


class MindSporeFcn(nn.Module):
    """Seed 003's FCN32s / FCN16s / FCN8s (MindSpore), translated layer by layer to torch.nn at a scaled
    width (base 64 and fc 4096 are the seed's). Keys: block1..block7, upscore / upscore_pool5,
    score_pool4, score_pool3, upscore_pool4, upscore_pool; ms_to_seg4j() renames them."""

    def __init__(self, stride, n_class=21, base=64, fc=None, in_channels=3):
        super().__init__()
        fc = fc or 64 * base
        self.stride = stride
        widths = [(2, base), (2, 2 * base), (3, 4 * base), (3, 8 * base), (3, 8 * base)]
        c = in_channels
        for b, (n, w) in enumerate(widths, 1):
            layers = []
            for _ in range(n):
                layers += [_ms_conv(c, w, 3), nn.BatchNorm2d(w), nn.ReLU()]
                c = w
            layers.append(nn.MaxPool2d(2, stride=2))
            setattr(self, f"block{b}", nn.Sequential(*layers))
        self.block6 = nn.Sequential(_ms_conv(8 * base, fc, 7), nn.BatchNorm2d(fc), nn.ReLU())
        self.block7 = nn.Sequential(_ms_conv(fc, fc, 1), nn.BatchNorm2d(fc), nn.ReLU())
        if stride == 32:
            self.upscore = nn.Sequential(_ms_conv(fc, n_class, 1), _ms_deconv(n_class, n_class, 4, 2),
                                         _ms_deconv(n_class, n_class, 32, 16))
            return
        self.upscore_pool5 = nn.Sequential(_ms_conv(fc, n_class, 1), _ms_deconv(n_class, n_class, 4, 2))
        self.score_pool4 = _ms_deconv(8 * base, n_class, 1)
        if stride == 16:
            self.upscore_pool = _ms_deconv(n_class, n_class, 32, 16)
            return
        self.score_pool3 = _ms_deconv(4 * base, n_class, 1)
        self.upscore_pool4 = _ms_deconv(n_class, n_class, 4, 2)
        self.upscore_pool = _ms_deconv(n_class, n_class, 16, 8)

    def forward(self, x):
        x1 = self.block1(x)
        x2 = self.block2(x1)
        x3 = self.block3(x2)
        x4 = self.block4(x3)
        x5 = self.block5(x4)
        x6 = self.block6(x5)
        x7 = self.block7(x6)
        if self.stride == 32:
            return self.upscore(x7)
        pool5 = self.upscore_pool5(x7)
        pool4 = self.score_pool4(x4)
        if self.stride == 16:
            return self.upscore_pool(pool4 + pool5)
        pool3 = self.score_pool3(x3)
        pool4 = self.upscore_pool4(pool4 + pool5)
        return self.upscore_pool(pool3 + pool4)


def ms_to_seg4j(state, stride):
    """Renames (and, for the 1x1 Conv2dTranspose score layers, transposes) a MindSporeFcn state_dict
    to seg4j's fcn{stride}s -O bn=true,bn_fc=true,bias=false,fc_dropout=0[,up32=two-step] names."""
    start = {1: 0, 2: 7, 3: 14, 4: 24, 5: 34}
    heads = {
        32: {"upscore.0": "score_fr", "upscore.1": "upscore2", "upscore.2": "upscore16"},
        16: {"upscore_pool5.0": "score_fr", "upscore_pool5.1": "upscore2", "upscore_pool": "upscore16"},
        8: {"upscore_pool5.0": "score_fr", "upscore_pool5.1": "upscore2", "upscore_pool4": "upscore_pool4",
            "upscore_pool": "upscore8"},
    }[stride]
    out = {}
    for key, v in state.items():
        module, leaf = key.rsplit(".", 1)
        if module.startswith("block"):
            b, i = int(module[5]), int(module.split(".")[1])
            if b <= 5:
                name = f"features.{start[b] + i}"
            else:
                name = {0: f"fc{b}", 1: f"bn{b}"}[i]
        elif module in ("score_pool4", "score_pool3"):
            name, v = module, v.transpose(0, 1)
        else:
            name = heads[module]
        out[f"{name}.{leaf}"] = v.contiguous()
    return out


class Vgg16Body(nn.Module):
    """Holds ``features`` so the U-Net's keys read vgg.features.N, as in bubbliiiing."""

    def __init__(self, in_channels, base, bn):
        super().__init__()
        self.features = vgg16_features(in_channels, base, bn)


class UnetUp(nn.Module):
    """bubbliiiing's unetUp: cat([skip, up(x)]) -> conv1 -> ReLU -> conv2 -> ReLU."""

    def __init__(self, in_size, out_size, up="bilinear", align_corners=True):
        super().__init__()
        self.conv1 = nn.Conv2d(in_size, out_size, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(out_size, out_size, kernel_size=3, padding=1)
        if up == "nearest":
            self.up = nn.Upsample(scale_factor=2, mode="nearest")
        elif align_corners:
            self.up = nn.UpsamplingBilinear2d(scale_factor=2)
        else:
            self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, skip, x):
        h = torch.cat([skip, self.up(x)], 1)
        h = self.relu(self.conv1(h))
        return self.relu(self.conv2(h))


class VggUNet(nn.Module):
    """bubbliiiing's VGG16 U-Net: taps feat1..feat5 (strides 1..16) before each pool; up is "bilinear"
    (align_corners as given) or "nearest" (seed 004's Keras UpSampling2D)."""

    def __init__(self, in_channels=3, classes=21, base=64, bn=False, up="bilinear", align_corners=True):
        super().__init__()
        self.vgg = Vgg16Body(in_channels, base, bn)
        self.pools = pool_indices(self.vgg.features)
        out_filters = [base, 2 * base, 4 * base, 8 * base]
        skips = [base, 2 * base, 4 * base, 8 * base]
        below = [2 * base, 4 * base, 8 * base, 8 * base]
        u = dict(up=up, align_corners=align_corners)
        self.up_concat4 = UnetUp(skips[3] + below[3], out_filters[3], **u)
        self.up_concat3 = UnetUp(skips[2] + out_filters[3], out_filters[2], **u)
        self.up_concat2 = UnetUp(skips[1] + out_filters[2], out_filters[1], **u)
        self.up_concat1 = UnetUp(skips[0] + out_filters[1], out_filters[0], **u)
        self.final = nn.Conv2d(out_filters[0], classes, 1)

    def forward(self, x):
        f = self.vgg.features
        p = self.pools
        feat1 = f[: p[0]](x)
        feat2 = f[p[0] : p[1]](feat1)
        feat3 = f[p[1] : p[2]](feat2)
        feat4 = f[p[2] : p[3]](feat3)
        feat5 = f[p[3] : p[4]](feat4)
        up4 = self.up_concat4(feat4, feat5)
        up3 = self.up_concat3(feat3, up4)
        up2 = self.up_concat2(feat2, up3)
        up1 = self.up_concat1(feat1, up2)
        return self.final(up1)


class TorchvisionVgg16(nn.Module):
    """A torchvision-layout VGG16 classifier (features.N + classifier.0/3/6) at a scaled width."""

    def __init__(self, in_channels=3, base=64, bn=False, hidden=4096, classes=1000):
        super().__init__()
        self.features = vgg16_features(in_channels, base, bn)
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(8 * base * 7 * 7, hidden),
            nn.ReLU(True),
            nn.Dropout(),
            nn.Linear(hidden, hidden),
            nn.ReLU(True),
            nn.Dropout(),
            nn.Linear(hidden, classes),
        )

    def forward(self, x):
        x = self.avgpool(self.features(x))
        return self.classifier(torch.flatten(x, 1))
