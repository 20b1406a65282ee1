"""Pillar 2: chaotic dynamical systems on diffrax, with their invariants.

The machinery (systems and delay systems, trajectories and sharded ensembles, Lyapunov
spectra over any step map, Kaplan–Yorke and correlation dimensions, power spectra, delay
embedding) and the whole dysts catalog: its 135 continuous-time systems (129 ODEs and 6
delay equations; `names()`), each checked against dysts.
"""

from .._parameters import parameter as parameter
from ..tangent import (
    LyapunovSpectrum as LyapunovSpectrum,
    kaplan_yorke_dimension as kaplan_yorke_dimension,
    lyapunov_spectrum_of_map as lyapunov_spectrum_of_map,
)
from ._biology import (
    BeerRNN as BeerRNN,
    Blasius as Blasius,
    CaTwoPlus as CaTwoPlus,
    CaTwoPlusQuasiperiodic as CaTwoPlusQuasiperiodic,
    CellCycle as CellCycle,
    CircadianRhythm as CircadianRhythm,
    CoevolvingPredatorPrey as CoevolvingPredatorPrey,
    ExcitableCell as ExcitableCell,
    ForcedFitzHughNagumo as ForcedFitzHughNagumo,
    GlycolyticOscillation as GlycolyticOscillation,
    HastingsPowell as HastingsPowell,
    Hopfield as Hopfield,
    ItikBanksTumor as ItikBanksTumor,
    MacArthur as MacArthur,
    SaltonSea as SaltonSea,
    TurchinHanski as TurchinHanski,
)
from ._catalog import get as get, names as names
from ._dataset import Dataset as Dataset, dataset as dataset
from ._delay import (
    AbstractDelaySystem as AbstractDelaySystem,
    IkedaDelay as IkedaDelay,
    MackeyGlass as MackeyGlass,
    PiecewiseCircuit as PiecewiseCircuit,
    ScrollDelay as ScrollDelay,
    SprottDelay as SprottDelay,
    VossDelay as VossDelay,
    delay_coordinates as delay_coordinates,
    delay_trajectory as delay_trajectory,
)
from ._differences import finite_difference_sensitivity as finite_difference_sensitivity
from ._flows import (
    Aizawa as Aizawa,
    BurkeShaw as BurkeShaw,
    Chen as Chen,
    ChenLee as ChenLee,
    Dadras as Dadras,
    DequanLi as DequanLi,
    Finance as Finance,
    Hadley as Hadley,
    Halvorsen as Halvorsen,
    HindmarshRose as HindmarshRose,
    LiuChen as LiuChen,
    Lorenz as Lorenz,
    Lorenz84 as Lorenz84,
    LuChen as LuChen,
    NewtonLiepnik as NewtonLiepnik,
    NoseHoover as NoseHoover,
    PanXuZhou as PanXuZhou,
    PehlivanWei as PehlivanWei,
    Qi as Qi,
    QiChen as QiChen,
    RabinovichFabrikant as RabinovichFabrikant,
    RikitakeDynamo as RikitakeDynamo,
    Rossler as Rossler,
    Rucklidge as Rucklidge,
    Sakarya as Sakarya,
    SanUmSrisuchinwong as SanUmSrisuchinwong,
    ShimizuMorioka as ShimizuMorioka,
    Thomas as Thomas,
    ThomasLabyrinth as ThomasLabyrinth,
    WangSun as WangSun,
    YuWang as YuWang,
    ZhouChen as ZhouChen,
)
from ._geometry import (
    correlation_dimension as correlation_dimension,
    correlation_sum as correlation_sum,
    delay_embed as delay_embed,
    power_spectrum as power_spectrum,
)
from ._geophysics import (
    AtmosphericRegime as AtmosphericRegime,
    Lorenz96 as Lorenz96,
    RayleighBenard as RayleighBenard,
    VallisElNino as VallisElNino,
    WindmiReduced as WindmiReduced,
)
from ._hyperchaos import (
    HyperBao as HyperBao,
    HyperCai as HyperCai,
    HyperJha as HyperJha,
    HyperLorenz as HyperLorenz,
    HyperLu as HyperLu,
    HyperPang as HyperPang,
    HyperQi as HyperQi,
    HyperRossler as HyperRossler,
    HyperWang as HyperWang,
    HyperXu as HyperXu,
    HyperYan as HyperYan,
    HyperYangChen as HyperYangChen,
    LorenzStenflo as LorenzStenflo,
)
from ._integrate import ensemble as ensemble, trajectory as trajectory
from ._invariants import (
    TraceIdentity as TraceIdentity,
    compute_invariants as compute_invariants,
    trace_identity as trace_identity,
)
from ._jerk import (
    Arneodo as Arneodo,
    Coullet as Coullet,
    GenesioTesi as GenesioTesi,
    JerkCircuit as JerkCircuit,
    MooreSpiegel as MooreSpiegel,
    SprottJerk as SprottJerk,
)
from ._lyapunov import (
    flow_map as flow_map,
    lyapunov_spectra as lyapunov_spectra,
    lyapunov_spectrum as lyapunov_spectrum,
    max_lyapunov as max_lyapunov,
)
from ._mechanics import (
    ArnoldWeb as ArnoldWeb,
    DoublePendulum as DoublePendulum,
    Duffing as Duffing,
    FluidTrampoline as FluidTrampoline,
    ForcedVanDerPol as ForcedVanDerPol,
    HenonHeiles as HenonHeiles,
    StickSlipOscillator as StickSlipOscillator,
    SwingingAtwood as SwingingAtwood,
    Torus as Torus,
)
from ._models import (
    AnishchenkoAstakhov as AnishchenkoAstakhov,
    BelousovZhabotinsky as BelousovZhabotinsky,
    CellularNeuralNetwork as CellularNeuralNetwork,
    Chua as Chua,
    Colpitts as Colpitts,
    ForcedBrusselator as ForcedBrusselator,
    GuckenheimerHolmes as GuckenheimerHolmes,
    IsothermalChemical as IsothermalChemical,
    KawczynskiStrizhak as KawczynskiStrizhak,
    Laser as Laser,
    MultiChua as MultiChua,
    NuclearQuadrupole as NuclearQuadrupole,
)
from ._orbits import (
    PeriodicOrbit as PeriodicOrbit,
    equilibria as equilibria,
    periodic_orbit as periodic_orbit,
)
from ._response import linear_response as linear_response
from ._shadowing import (
    long_time_average as long_time_average,
    max_lyapunov_sensitivity as max_lyapunov_sensitivity,
    shadowing_sensitivity as shadowing_sensitivity,
)
from ._sprott import (
    SprottA as SprottA,
    SprottB as SprottB,
    SprottC as SprottC,
    SprottD as SprottD,
    SprottE as SprottE,
    SprottF as SprottF,
    SprottG as SprottG,
    SprottH as SprottH,
    SprottI as SprottI,
    SprottJ as SprottJ,
    SprottK as SprottK,
    SprottL as SprottL,
    SprottM as SprottM,
    SprottMore as SprottMore,
    SprottN as SprottN,
    SprottO as SprottO,
    SprottP as SprottP,
    SprottQ as SprottQ,
    SprottR as SprottR,
    SprottS as SprottS,
    SprottTorus as SprottTorus,
)
from ._system import (
    AbstractSystem as AbstractSystem,
    ComputedInvariants as ComputedInvariants,
    Invariants as Invariants,
    SystemInfo as SystemInfo,
    system_info as system_info,
)
from ._transport import (
    ArnoldBeltramiChildress as ArnoldBeltramiChildress,
    BickleyJet as BickleyJet,
    BlinkingRotlet as BlinkingRotlet,
    BlinkingVortex as BlinkingVortex,
    DoubleGyre as DoubleGyre,
    InteriorSquirmer as InteriorSquirmer,
    LidDrivenCavityFlow as LidDrivenCavityFlow,
    OscillatingFlow as OscillatingFlow,
)
from ._variants import (
    Bouali as Bouali,
    Bouali2 as Bouali2,
    LorenzBounded as LorenzBounded,
    LorenzCoupled as LorenzCoupled,
    LuChenCheng as LuChenCheng,
    Tsucs2 as Tsucs2,
    YuWang2 as YuWang2,
)
