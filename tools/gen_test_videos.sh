#!/usr/bin/env bash
# Makes the tiny test videos in seg4j-cli/src/test/resources/video/ with Debian's ffmpeg (a fixture
# generator only; seg4j itself decodes them in pure Java): a bright disc moving right over a dark
# background, 64x48, 12 frames at 10 fps, as
#   disc.mp4  H.264 High profile with B-frames (frames stored out of display order), and
#   disc.avi  MJPEG in AVI,
# plus mpeg4.avi, an MPEG-4 part 2 AVI that seg4j refuses with a conversion hint.
set -euo pipefail
out="$(dirname "$0")/../seg4j-cli/src/test/resources/video"
mkdir -p "$out"
src="nullsrc=s=64x48:r=10:d=1.2,format=yuv420p,geq=lum='if(lt(hypot(X/SW-(12+3*N),Y/SH-24),11),200,40)':cb='if(lt(hypot(X/SW-(12+3*N),Y/SH-24),11),90,128)':cr='if(lt(hypot(X/SW-(12+3*N),Y/SH-24),11),150,128)'"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$src" -c:v libx264 -profile:v high -bf 2 \
  -pix_fmt yuv420p -movflags +faststart "$out/disc.mp4"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$src" -c:v mjpeg -q:v 3 "$out/disc.avi"
ffmpeg -hide_banner -loglevel error -y -f lavfi -i "$src" -frames:v 3 -c:v mpeg4 "$out/mpeg4.avi"
ls -l "$out"
