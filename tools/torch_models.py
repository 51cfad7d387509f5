"""PyTorch twins of seg4j's U-Net family (org.seg4j.model.{UNet, UNetValid, NestedUNet, UNet3Plus}).

Each class has the same parameter names, shapes and forward order as its Java twin, so a
state_dict saved as safetensors loads 1:1 with StateDicts.load. Used by gen_unet_fixtures.py.

- UNet: /work/shared/reference/isbi_unet.py's UNet with options (its defaults give the same keys);
  up="upsample" is 4uiiurz1's plain UNet (UNet4uiiurz1 below, same logits after a key rename) and
  dropout_at="blocks" is seed 002's cropland U-Net (CroplandUNet below, likewise).
- UNetValid: the 2015 paper's form: unpadded 3x3 convs, crop-and-concat.
- NestedUNet: 4uiiurz1/pytorch-nested-unet's NestedUNet (VGGBlock, nb_filter base..16*base).
- UNet3Plus: ZJUGiveLab/UNet-Version's UNet_3Plus (and _DeepSup heads), filters base..16*base.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def _act(slope):
    return nn.ReLU(inplace=True) if slope == 0 else nn.LeakyReLU(slope, inplace=True)


def double_conv(i, o, bn=True, slope=0.0, padding=1, padding_mode="zeros", dropout=0.0):
    """conv3x3 [BN] [Dropout2d] act, twice; with BN alone the indices are 0,1,3,4 (as isbi_unet.py),
    with BN and dropout > 0 they are 0 conv, 1 BN, 2 drop, 3 act, 4 conv, 5 BN, 6 drop, 7 act (seed 002)."""
    layers = []
    for cin in (i, o):
        layers.append(nn.Conv2d(cin, o, 3, padding=padding, padding_mode=padding_mode))
        if bn:
            layers.append(nn.BatchNorm2d(o))
        if dropout > 0:
            layers.append(nn.Dropout2d(dropout))
        layers.append(_act(slope))
    return nn.Sequential(*layers)


class BilinearUpConv(nn.Conv2d):
    """Bilinear x2 (align_corners=True), then a 1x1 conv: keys <name>.weight, <name>.bias."""

    def __init__(self, i, o):
        super().__init__(i, o, 1)

    def forward(self, x):
        return super().forward(F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=True))


class UNet(nn.Module):
    """up: "transpose" (ConvTranspose2d 2/2), "bilinear" (x2 + 1x1 conv halving the channels) or
    "upsample" (x2 bilinear, align_corners=True, no conv: the decoder blocks take ch[i] + ch[i+1]).
    dropout_at: "bottleneck" (Dropout2d on the deepest map) or "blocks" (after every BN)."""

    def __init__(self, cin, classes, base, depth=4, bn=True, slope=0.0, padding_mode="zeros",
                 up="transpose", dropout=0.0, dropout_at="bottleneck"):
        super().__init__()
        assert up in ("transpose", "bilinear", "upsample") and dropout_at in ("bottleneck", "blocks")
        ch = [base << i for i in range(depth + 1)]
        self.depth = depth
        block_p = dropout if dropout_at == "blocks" else 0.0
        self.down = nn.ModuleList([double_conv(cin if i == 0 else ch[i - 1], ch[i], bn, slope, 1, padding_mode,
                                               block_p)
                                   for i in range(depth + 1)])
        if up == "transpose":
            self.upc = nn.ModuleList([nn.ConvTranspose2d(ch[depth - i], ch[depth - 1 - i], 2, 2) for i in range(depth)])
        elif up == "bilinear":
            self.upc = nn.ModuleList([BilinearUpConv(ch[depth - i], ch[depth - 1 - i]) for i in range(depth)])
        else:
            self.upc = None
            self.upsample = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
        extra = [ch[depth - 1 - i] if up == "upsample" else 0 for i in range(depth)]
        self.up = nn.ModuleList([double_conv(ch[depth - i] + extra[i], ch[depth - 1 - i], bn, slope, 1, padding_mode,
                                             block_p)
                                 for i in range(depth)])
        self.head = nn.Conv2d(ch[0], classes, 1)
        self.drop = nn.Dropout2d(dropout if dropout_at == "bottleneck" else 0.0)

    def forward(self, x):
        skips = []
        for i, d in enumerate(self.down):
            if i > 0:
                x = F.max_pool2d(x, 2)
            x = d(x)
            skips.append(x)
        x = self.drop(x)
        for i in range(self.depth):
            u = self.upsample(x) if self.upc is None else self.upc[i](x)
            x = self.up[i](torch.cat([skips[self.depth - 1 - i], u], 1))
        return self.head(x)


class UNet4uiiurz1(nn.Module):
    """4uiiurz1/pytorch-nested-unet archs.py's plain UNet, verbatim but for the width (nb_filter = base..16*base)."""

    def __init__(self, num_classes, input_channels=3, base=32, **kwargs):
        super().__init__()
        nb_filter = [base, base * 2, base * 4, base * 8, base * 16]
        self.pool = nn.MaxPool2d(2, 2)
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
        self.conv0_0 = VGGBlock(input_channels, nb_filter[0], nb_filter[0])
        self.conv1_0 = VGGBlock(nb_filter[0], nb_filter[1], nb_filter[1])
        self.conv2_0 = VGGBlock(nb_filter[1], nb_filter[2], nb_filter[2])
        self.conv3_0 = VGGBlock(nb_filter[2], nb_filter[3], nb_filter[3])
        self.conv4_0 = VGGBlock(nb_filter[3], nb_filter[4], nb_filter[4])
        self.conv3_1 = VGGBlock(nb_filter[3] + nb_filter[4], nb_filter[3], nb_filter[3])
        self.conv2_2 = VGGBlock(nb_filter[2] + nb_filter[3], nb_filter[2], nb_filter[2])
        self.conv1_3 = VGGBlock(nb_filter[1] + nb_filter[2], nb_filter[1], nb_filter[1])
        self.conv0_4 = VGGBlock(nb_filter[0] + nb_filter[1], nb_filter[0], nb_filter[0])
        self.final = nn.Conv2d(nb_filter[0], num_classes, kernel_size=1)

    def forward(self, input):
        x0_0 = self.conv0_0(input)
        x1_0 = self.conv1_0(self.pool(x0_0))
        x2_0 = self.conv2_0(self.pool(x1_0))
        x3_0 = self.conv3_0(self.pool(x2_0))
        x4_0 = self.conv4_0(self.pool(x3_0))
        x3_1 = self.conv3_1(torch.cat([x3_0, self.up(x4_0)], 1))
        x2_2 = self.conv2_2(torch.cat([x2_0, self.up(x3_1)], 1))
        x1_3 = self.conv1_3(torch.cat([x1_0, self.up(x2_2)], 1))
        x0_4 = self.conv0_4(torch.cat([x0_0, self.up(x1_3)], 1))
        output = self.final(x0_4)
        return output


def seg4j_key_4uiiurz1(key):
    """Renames a UNet4uiiurz1 state_dict key to seg4j's unet -O up=upsample name."""
    part = {"conv1": "0", "bn1": "1", "conv2": "3", "bn2": "4"}
    head, _, rest = key.partition(".")
    if head == "final":
        return "head." + rest
    i, j = int(head[4]), int(head[6])
    module, _, leaf = rest.partition(".")
    return (f"down.{i}." if j == 0 else f"up.{j - 1}.") + part[module] + "." + leaf


class DoubleConv(nn.Module):
    """Seed 002's (cropland U-Net) DoubleConv, verbatim but for the dropout rate argument."""

    def __init__(self, in_channels, out_channels, p=0.3):
        super(DoubleConv, self).__init__()
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, out_channels, kernel_size=3, padding=1, padding_mode="reflect"),
            nn.BatchNorm2d(out_channels),
            nn.Dropout2d(p),
            nn.LeakyReLU(inplace=True),
            nn.Conv2d(out_channels, out_channels, kernel_size=3, padding=1, padding_mode="reflect"),
            nn.BatchNorm2d(out_channels),
            nn.Dropout2d(p),
            nn.LeakyReLU(inplace=True)
        )

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    def __init__(self, in_channels, out_channels, p=0.3):
        super(Down, self).__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), DoubleConv(in_channels, out_channels, p))

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    def __init__(self, in_channels, out_channels, p=0.3):
        super(Up, self).__init__()
        self.up = nn.ConvTranspose2d(in_channels, out_channels, kernel_size=2, stride=2)
        self.conv = DoubleConv(in_channels, out_channels, p)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        x = torch.cat([x2, x1], dim=1)
        return self.conv(x)


class OutConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super(OutConv, self).__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        return self.conv(x)


class CroplandUNet(nn.Module):
    """Seed 002's UNet (inc, down1..4, up1..4, outc), verbatim but for the width (base; the seed's is 64)."""

    def __init__(self, n_channels, n_classes, base=64, p=0.3):
        super(CroplandUNet, self).__init__()
        b = base
        self.n_channels = n_channels
        self.n_classes = n_classes
        self.inc = DoubleConv(n_channels, b, p)
        self.down1 = Down(b, 2 * b, p)
        self.down2 = Down(2 * b, 4 * b, p)
        self.down3 = Down(4 * b, 8 * b, p)
        self.down4 = Down(8 * b, 16 * b, p)
        self.up1 = Up(16 * b, 8 * b, p)
        self.up2 = Up(8 * b, 4 * b, p)
        self.up3 = Up(4 * b, 2 * b, p)
        self.up4 = Up(2 * b, b, p)
        self.outc = OutConv(b, n_classes)

    def forward(self, x):
        x1 = self.inc(x)
        x2 = self.down1(x1)
        x3 = self.down2(x2)
        x4 = self.down3(x3)
        x5 = self.down4(x4)
        x = self.up1(x5, x4)
        x = self.up2(x, x3)
        x = self.up3(x, x2)
        x = self.up4(x, x1)
        x = self.outc(x)
        return x


def seg4j_key_cropland(key):
    """Renames a CroplandUNet state_dict key to seg4j's unet -O dropout_at=blocks name."""
    if key.startswith("inc.double_conv."):
        return "down.0." + key[len("inc.double_conv."):]
    if key.startswith("down"):
        return f"down.{key[4]}." + key[len("downN.maxpool_conv.1.double_conv."):]
    if key.startswith("up"):
        i = int(key[2]) - 1
        rest = key[4:]
        if rest.startswith("up."):
            return f"upc.{i}." + rest[3:]
        return f"up.{i}." + rest[len("conv.double_conv."):]
    return "head." + key[len("outc.conv."):]


def center_crop(skip, like):
    h, w = like.shape[2], like.shape[3]
    top, left = (skip.shape[2] - h) // 2, (skip.shape[3] - w) // 2
    return skip[:, :, top:top + h, left:left + w]


class UNetValid(nn.Module):
    def __init__(self, cin, classes, base, depth=4, bn=False):
        super().__init__()
        ch = [base << i for i in range(depth + 1)]
        self.depth = depth
        self.down = nn.ModuleList([double_conv(cin if i == 0 else ch[i - 1], ch[i], bn, 0.0, 0)
                                   for i in range(depth + 1)])
        self.upc = nn.ModuleList([nn.ConvTranspose2d(ch[depth - i], ch[depth - 1 - i], 2, 2) for i in range(depth)])
        self.up = nn.ModuleList([double_conv(ch[depth - i], ch[depth - 1 - i], bn, 0.0, 0) for i in range(depth)])
        self.head = nn.Conv2d(ch[0], classes, 1)

    def forward(self, x):
        skips = []
        for i, d in enumerate(self.down):
            if i > 0:
                x = F.max_pool2d(x, 2)
            x = d(x)
            skips.append(x)
        for i in range(self.depth):
            u = self.upc[i](x)
            x = self.up[i](torch.cat([center_crop(skips[self.depth - 1 - i], u), u], 1))
        return self.head(x)


class VGGBlock(nn.Module):
    def __init__(self, in_channels, middle_channels, out_channels):
        super().__init__()
        self.relu = nn.ReLU(inplace=True)
        self.conv1 = nn.Conv2d(in_channels, middle_channels, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(middle_channels)
        self.conv2 = nn.Conv2d(middle_channels, out_channels, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(out_channels)

    def forward(self, x):
        return self.relu(self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x))))))


class NestedUNet(nn.Module):
    def __init__(self, num_classes, input_channels=3, base=32, deep_supervision=False):
        super().__init__()
        f = [base, base * 2, base * 4, base * 8, base * 16]
        self.deep_supervision = deep_supervision
        self.pool = nn.MaxPool2d(2, 2)
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
        self.conv0_0 = VGGBlock(input_channels, f[0], f[0])
        self.conv1_0 = VGGBlock(f[0], f[1], f[1])
        self.conv2_0 = VGGBlock(f[1], f[2], f[2])
        self.conv3_0 = VGGBlock(f[2], f[3], f[3])
        self.conv4_0 = VGGBlock(f[3], f[4], f[4])
        self.conv0_1 = VGGBlock(f[0] + f[1], f[0], f[0])
        self.conv1_1 = VGGBlock(f[1] + f[2], f[1], f[1])
        self.conv2_1 = VGGBlock(f[2] + f[3], f[2], f[2])
        self.conv3_1 = VGGBlock(f[3] + f[4], f[3], f[3])
        self.conv0_2 = VGGBlock(f[0] * 2 + f[1], f[0], f[0])
        self.conv1_2 = VGGBlock(f[1] * 2 + f[2], f[1], f[1])
        self.conv2_2 = VGGBlock(f[2] * 2 + f[3], f[2], f[2])
        self.conv0_3 = VGGBlock(f[0] * 3 + f[1], f[0], f[0])
        self.conv1_3 = VGGBlock(f[1] * 3 + f[2], f[1], f[1])
        self.conv0_4 = VGGBlock(f[0] * 4 + f[1], f[0], f[0])
        if deep_supervision:
            self.final1 = nn.Conv2d(f[0], num_classes, kernel_size=1)
            self.final2 = nn.Conv2d(f[0], num_classes, kernel_size=1)
            self.final3 = nn.Conv2d(f[0], num_classes, kernel_size=1)
            self.final4 = nn.Conv2d(f[0], num_classes, kernel_size=1)
        else:
            self.final = nn.Conv2d(f[0], num_classes, kernel_size=1)

    def forward(self, input):
        x0_0 = self.conv0_0(input)
        x1_0 = self.conv1_0(self.pool(x0_0))
        x0_1 = self.conv0_1(torch.cat([x0_0, self.up(x1_0)], 1))
        x2_0 = self.conv2_0(self.pool(x1_0))
        x1_1 = self.conv1_1(torch.cat([x1_0, self.up(x2_0)], 1))
        x0_2 = self.conv0_2(torch.cat([x0_0, x0_1, self.up(x1_1)], 1))
        x3_0 = self.conv3_0(self.pool(x2_0))
        x2_1 = self.conv2_1(torch.cat([x2_0, self.up(x3_0)], 1))
        x1_2 = self.conv1_2(torch.cat([x1_0, x1_1, self.up(x2_1)], 1))
        x0_3 = self.conv0_3(torch.cat([x0_0, x0_1, x0_2, self.up(x1_2)], 1))
        x4_0 = self.conv4_0(self.pool(x3_0))
        x3_1 = self.conv3_1(torch.cat([x3_0, self.up(x4_0)], 1))
        x2_2 = self.conv2_2(torch.cat([x2_0, x2_1, self.up(x3_1)], 1))
        x1_3 = self.conv1_3(torch.cat([x1_0, x1_1, x1_2, self.up(x2_2)], 1))
        x0_4 = self.conv0_4(torch.cat([x0_0, x0_1, x0_2, x0_3, self.up(x1_3)], 1))
        if self.deep_supervision:
            return [self.final1(x0_1), self.final2(x0_2), self.final3(x0_3), self.final4(x0_4)]
        return self.final(x0_4)


class unetConv2(nn.Module):
    """ZJUGiveLab's encoder block (is_batchnorm=True, n=2): conv1 and conv2 = conv3x3-BN-ReLU."""

    def __init__(self, in_size, out_size):
        super().__init__()
        self.conv1 = nn.Sequential(nn.Conv2d(in_size, out_size, 3, 1, 1), nn.BatchNorm2d(out_size), nn.ReLU(inplace=True))
        self.conv2 = nn.Sequential(nn.Conv2d(out_size, out_size, 3, 1, 1), nn.BatchNorm2d(out_size), nn.ReLU(inplace=True))

    def forward(self, x):
        return self.conv2(self.conv1(x))


class UNet3Plus(nn.Module):
    """UNet_3Plus with its attribute names; logits (no sigmoid); optional DeepSup heads d1..d5."""

    def __init__(self, in_channels=3, n_classes=1, base=64, deep_supervision=False):
        super().__init__()
        f = [base, base * 2, base * 4, base * 8, base * 16]
        self.deep_supervision = deep_supervision
        self.conv1 = unetConv2(in_channels, f[0])
        self.maxpool1 = nn.MaxPool2d(kernel_size=2)
        self.conv2 = unetConv2(f[0], f[1])
        self.maxpool2 = nn.MaxPool2d(kernel_size=2)
        self.conv3 = unetConv2(f[1], f[2])
        self.maxpool3 = nn.MaxPool2d(kernel_size=2)
        self.conv4 = unetConv2(f[2], f[3])
        self.maxpool4 = nn.MaxPool2d(kernel_size=2)
        self.conv5 = unetConv2(f[3], f[4])
        cat, up_ch = f[0], f[0] * 5
        self.CatChannels, self.UpChannels = cat, up_ch
        # each decoder stage d (4..1) takes encoder h1..hd (pooled or as is) and decoder hd(d+1)..hd5 (up-sampled)
        for d in (4, 3, 2, 1):
            for s in range(1, 6):
                if s < d:
                    name, mod, cin = f"h{s}_PT_hd{d}", nn.MaxPool2d(2 ** (d - s), 2 ** (d - s), ceil_mode=True), f[s - 1]
                elif s == d:
                    name, mod, cin = f"h{s}_Cat_hd{d}", None, f[s - 1]
                else:
                    name = f"hd{s}_UT_hd{d}"
                    mod = nn.Upsample(scale_factor=2 ** (s - d), mode="bilinear", align_corners=False)
                    cin = f[4] if s == 5 else up_ch
                if mod is not None:
                    setattr(self, name, mod)
                setattr(self, name + "_conv", nn.Conv2d(cin, cat, 3, padding=1))
                setattr(self, name + "_bn", nn.BatchNorm2d(cat))
                setattr(self, name + "_relu", nn.ReLU(inplace=True))
            setattr(self, f"conv{d}d_1", nn.Conv2d(up_ch, up_ch, 3, padding=1))
            setattr(self, f"bn{d}d_1", nn.BatchNorm2d(up_ch))
            setattr(self, f"relu{d}d_1", nn.ReLU(inplace=True))
        self.outconv1 = nn.Conv2d(up_ch, n_classes, 3, padding=1)
        if deep_supervision:
            self.outconv2 = nn.Conv2d(up_ch, n_classes, 3, padding=1)
            self.outconv3 = nn.Conv2d(up_ch, n_classes, 3, padding=1)
            self.outconv4 = nn.Conv2d(up_ch, n_classes, 3, padding=1)
            self.outconv5 = nn.Conv2d(f[4], n_classes, 3, padding=1)

    def _branch(self, name, x):
        if hasattr(self, name):
            x = getattr(self, name)(x)
        return getattr(self, name + "_relu")(getattr(self, name + "_bn")(getattr(self, name + "_conv")(x)))

    def forward(self, x):
        h = {1: self.conv1(x)}
        h[2] = self.conv2(self.maxpool1(h[1]))
        h[3] = self.conv3(self.maxpool2(h[2]))
        h[4] = self.conv4(self.maxpool3(h[3]))
        hd = {5: self.conv5(self.maxpool4(h[4]))}
        for d in (4, 3, 2, 1):
            parts = []
            for s in range(1, 6):
                if s < d:
                    parts.append(self._branch(f"h{s}_PT_hd{d}", h[s]))
                elif s == d:
                    parts.append(self._branch(f"h{s}_Cat_hd{d}", h[s]))
                else:
                    parts.append(self._branch(f"hd{s}_UT_hd{d}", hd[s]))
            fuse = torch.cat(parts, 1)
            hd[d] = getattr(self, f"relu{d}d_1")(getattr(self, f"bn{d}d_1")(getattr(self, f"conv{d}d_1")(fuse)))
        d1 = self.outconv1(hd[1])
        if not self.deep_supervision:
            return d1
        heads = [d1]
        for k in (2, 3, 4, 5):
            d = getattr(self, f"outconv{k}")(hd[k])
            heads.append(F.interpolate(d, scale_factor=2 ** (k - 1), mode="bilinear", align_corners=False))
        return heads
