"""Twins of the networks `seg4j import` reads, re-declared the way their repositories write them (same module
names and structure; only the widths are scaled by `base` so the fixtures stay small):

  * bubbliiiing/unet-pytorch nets/vgg.py + nets/unet.py: VGG (features only: avgpool and classifier are deleted
    by VGG16()), make_layers, unetUp, Unet(backbone='vgg'); widths cfg D scaled by base/64.
  * milesial/Pytorch-UNet unet/unet_parts.py + unet/unet_model.py: DoubleConv, Down, Up (bilinear or
    ConvTranspose2d, F.pad to the skip's size), OutConv, UNet(n_channels, n_classes, bilinear); widths 64..1024
    scaled by base/64.
  * torchvision.models.vgg: VGG(features, classifier) with make_layers(cfg D), the classification checkpoint
    --from torchvision reads; widths scaled, classifier shrunk (seg4j ignores it).

4uiiurz1/pytorch-nested-unet's NestedUNet and plain UNet twins are in torch_models.py (NestedUNet, UNet4uiiurz1).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


# ---- bubbliiiing/unet-pytorch ----------------------------------------------------------------------------

def vgg_cfg(base):
    b = base
    return [b, b, 'M', 2 * b, 2 * b, 'M', 4 * b, 4 * b, 4 * b, 'M', 8 * b, 8 * b, 8 * b, 'M', 8 * b, 8 * b, 8 * b, 'M']


def make_layers(cfg, batch_norm=False, in_channels=3):
    layers = []
    for v in cfg:
        if v == 'M':
            layers += [nn.MaxPool2d(kernel_size=2, stride=2)]
        else:
            conv2d = nn.Conv2d(in_channels, v, kernel_size=3, padding=1)
            if batch_norm:
                layers += [conv2d, nn.BatchNorm2d(v), nn.ReLU(inplace=True)]
            else:
                layers += [conv2d, nn.ReLU(inplace=True)]
            in_channels = v
    return nn.Sequential(*layers)


class VGG(nn.Module):
    """bubbliiiing's VGG after VGG16() deleted avgpool and classifier: features and the five taps."""

    def __init__(self, features):
        super().__init__()
        self.features = features

    def forward(self, x):
        feat1 = self.features[:4](x)
        feat2 = self.features[4:9](feat1)
        feat3 = self.features[9:16](feat2)
        feat4 = self.features[16:23](feat3)
        feat5 = self.features[23:-1](feat4)
        return [feat1, feat2, feat3, feat4, feat5]


class unetUp(nn.Module):
    def __init__(self, in_size, out_size):
        super(unetUp, self).__init__()
        self.conv1 = nn.Conv2d(in_size, out_size, kernel_size=3, padding=1)
        self.conv2 = nn.Conv2d(out_size, out_size, kernel_size=3, padding=1)
        self.up = nn.UpsamplingBilinear2d(scale_factor=2)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, inputs1, inputs2):
        outputs = torch.cat([inputs1, self.up(inputs2)], 1)
        outputs = self.conv1(outputs)
        outputs = self.relu(outputs)
        outputs = self.conv2(outputs)
        outputs = self.relu(outputs)
        return outputs


class Unet(nn.Module):
    def __init__(self, num_classes=21, base=64, in_channels=3):
        super(Unet, self).__init__()
        self.vgg = VGG(make_layers(vgg_cfg(base), batch_norm=False, in_channels=in_channels))
        s = base / 64
        in_filters = [int(192 * s), int(384 * s), int(768 * s), int(1024 * s)]
        out_filters = [int(64 * s), int(128 * s), int(256 * s), int(512 * s)]
        self.up_concat4 = unetUp(in_filters[3], out_filters[3])
        self.up_concat3 = unetUp(in_filters[2], out_filters[2])
        self.up_concat2 = unetUp(in_filters[1], out_filters[1])
        self.up_concat1 = unetUp(in_filters[0], out_filters[0])
        self.up_conv = None
        self.final = nn.Conv2d(out_filters[0], num_classes, 1)

    def forward(self, inputs):
        [feat1, feat2, feat3, feat4, feat5] = self.vgg.forward(inputs)
        up4 = self.up_concat4(feat4, feat5)
        up3 = self.up_concat3(feat3, up4)
        up2 = self.up_concat2(feat2, up3)
        up1 = self.up_concat1(feat1, up2)
        return self.final(up1)


# ---- milesial/Pytorch-UNet --------------------------------------------------------------------------------

class DoubleConv(nn.Module):
    """(convolution => [BN] => ReLU) * 2"""

    def __init__(self, in_channels, out_channels, mid_channels=None):
        super().__init__()
        if not mid_channels:
            mid_channels = out_channels
        self.double_conv = nn.Sequential(
            nn.Conv2d(in_channels, mid_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(mid_channels),
            nn.ReLU(inplace=True),
            nn.Conv2d(mid_channels, out_channels, kernel_size=3, padding=1, bias=False),
            nn.BatchNorm2d(out_channels),
            nn.ReLU(inplace=True)
        )

    def forward(self, x):
        return self.double_conv(x)


class Down(nn.Module):
    def __init__(self, in_channels, out_channels):
        super().__init__()
        self.maxpool_conv = nn.Sequential(nn.MaxPool2d(2), DoubleConv(in_channels, out_channels))

    def forward(self, x):
        return self.maxpool_conv(x)


class Up(nn.Module):
    def __init__(self, in_channels, out_channels, bilinear=True):
        super().__init__()
        if bilinear:
            self.up = nn.Upsample(scale_factor=2, mode='bilinear', align_corners=True)
            self.conv = DoubleConv(in_channels, out_channels, in_channels // 2)
        else:
            self.up = nn.ConvTranspose2d(in_channels, in_channels // 2, kernel_size=2, stride=2)
            self.conv = DoubleConv(in_channels, out_channels)

    def forward(self, x1, x2):
        x1 = self.up(x1)
        diffY = x2.size()[2] - x1.size()[2]
        diffX = x2.size()[3] - x1.size()[3]
        x1 = F.pad(x1, [diffX // 2, diffX - diffX // 2, diffY // 2, diffY - diffY // 2])
        x = torch.cat([x2, x1], dim=1)
        return self.conv(x)


class OutConv(nn.Module):
    def __init__(self, in_channels, out_channels):
        super(OutConv, self).__init__()
        self.conv = nn.Conv2d(in_channels, out_channels, kernel_size=1)

    def forward(self, x):
        return self.conv(x)


class UNet(nn.Module):
    def __init__(self, n_channels, n_classes, bilinear=False, base=64):
        super(UNet, self).__init__()
        self.n_channels = n_channels
        self.n_classes = n_classes
        self.bilinear = bilinear
        b = base
        self.inc = (DoubleConv(n_channels, b))
        self.down1 = (Down(b, 2 * b))
        self.down2 = (Down(2 * b, 4 * b))
        self.down3 = (Down(4 * b, 8 * b))
        factor = 2 if bilinear else 1
        self.down4 = (Down(8 * b, 16 * b // factor))
        self.up1 = (Up(16 * b, 8 * b // factor, bilinear))
        self.up2 = (Up(8 * b, 4 * b // factor, bilinear))
        self.up3 = (Up(4 * b, 2 * b // factor, bilinear))
        self.up4 = (Up(2 * b, b, bilinear))
        self.outc = (OutConv(b, n_classes))

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
        logits = self.outc(x)
        return logits


# ---- torchvision.models.vgg ------------------------------------------------------------------------------

class TorchvisionVGG(nn.Module):
    """torchvision's VGG: features, avgpool, classifier (Linear, ReLU, Dropout, Linear, ReLU, Dropout, Linear)."""

    def __init__(self, features, hidden=16, num_classes=10, base=64):
        super().__init__()
        self.features = features
        self.avgpool = nn.AdaptiveAvgPool2d((7, 7))
        self.classifier = nn.Sequential(
            nn.Linear(8 * base * 7 * 7, hidden), nn.ReLU(True), nn.Dropout(),
            nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(),
            nn.Linear(hidden, num_classes))

    def forward(self, x):
        x = self.features(x)
        x = self.avgpool(x)
        return self.classifier(torch.flatten(x, 1))
