using System.Globalization;

namespace NeuroCards.Worker.Generation.Local;

/// <summary>
/// How one video of an order looks and sounds in the offline render, so the videos of one order differ:
/// camera motion, how large the product sits in the frame, colour grading and the key of the music bed.
/// </summary>
public sealed record LocalRenderStyle(string Name, string Zoom, string PanX, int ProductWidth, string Grade, double MusicRoot)
{
    // Motions never zoom past 1.08, and the product box leaves that much margin: the whole product stays in frame.
    private static readonly LocalRenderStyle[] Styles =
    [
        new("push-in, warm", Zoom: "min(1+0.08*on/{frames},1.08)", PanX: "center", ProductWidth: 900, Grade: "eq=saturation=1.08:brightness=0.02", MusicRoot: 220.00),
        new("pull-back, cool", Zoom: "max(1.08-0.08*on/{frames},1)", PanX: "center", ProductWidth: 840, Grade: "colorbalance=rs=-0.05:bs=0.08,eq=saturation=1.0", MusicRoot: 261.63),
        new("slide left to right, golden", Zoom: "1.06", PanX: "slide", ProductWidth: 860, Grade: "colorbalance=rs=0.08:gs=0.02:bs=-0.06,eq=saturation=1.15", MusicRoot: 293.66),
        new("slow push-in, crisp", Zoom: "min(1+0.05*on/{frames},1.05)", PanX: "center", ProductWidth: 800, Grade: "eq=contrast=1.1:saturation=0.95", MusicRoot: 196.00),
        new("slide right to left, soft", Zoom: "1.06", PanX: "slide-back", ProductWidth: 880, Grade: "eq=brightness=0.04:saturation=0.9:gamma=1.05", MusicRoot: 329.63),
    ];

    public static LocalRenderStyle For(int variant) => Styles[Math.Abs(variant) % Styles.Length];

    /// <summary>The zoompan expressions (on the 1080×1920 composite) for a clip of <paramref name="frames"/> frames.</summary>
    public (string Zoom, string X, string Y) Motion(int frames)
    {
        var zoom = Zoom.Replace("{frames}", frames.ToString(CultureInfo.InvariantCulture));
        var x = PanX switch
        {
            "slide" => $"(iw-iw/zoom)*on/{frames}",
            "slide-back" => $"(iw-iw/zoom)*(1-on/{frames})",
            _ => "iw/2-(iw/zoom/2)",
        };
        return (zoom, x, "ih/2-(ih/zoom/2)");
    }

    /// <summary>
    /// A soft chord progression (I–IV–V–vi, 2.5 s each) with a slow swell, quiet under a voice: made by ffmpeg, no samples.
    /// </summary>
    public string Music(int seconds)
    {
        var f = MusicRoot.ToString("0.00", CultureInfo.InvariantCulture);
        var step = "if(lt(mod(t,10),2.5),1,if(lt(mod(t,10),5),1.3348,if(lt(mod(t,10),7.5),1.4983,1.6818)))";
        var chord = $"0.05*sin(2*PI*{f}*{step}*t)+0.035*sin(2*PI*{f}*{step}*1.25*t)+0.03*sin(2*PI*{f}*{step}*1.5*t)";
        var fadeOut = (seconds - 1.5).ToString("0.0", CultureInfo.InvariantCulture);
        return $"aevalsrc=exprs='({chord})*(0.75+0.25*sin(2*PI*0.2*t))':s=44100:d={seconds},lowpass=f=1800,"
               + $"afade=t=in:st=0:d=1.5,afade=t=out:st={fadeOut}:d=1.5,aformat=channel_layouts=stereo";
    }
}
